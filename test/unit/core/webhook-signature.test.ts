import { createHmac } from 'node:crypto';
import { checkSignature } from '../../../functions/core/webhook-signature';

const body = Buffer.from('{"id":"01890c2e-7a3b-7000-8000-000000000001","subject":"sub-1"}');
const sign = (secret: string, raw: Buffer = body) => createHmac('sha256', secret).update(raw).digest('hex');
const OLD = 'the-old-secret-of-the-subscription';
const NEW = 'the-new-secret-of-the-subscription';

describe('checkSignature: the hex HMAC-SHA256 of the raw body, from Akeneo', () => {
  it('accepts the primary signature made with the secret', () => {
    expect(checkSignature(body, { primary: sign(OLD), algorithm: 'HmacSHA256' }, [OLD])).toBe('valid');
  });

  it('accepts upper-case hex and a missing algorithm header', () => {
    expect(checkSignature(body, { primary: sign(OLD).toUpperCase() }, [OLD])).toBe('valid');
  });

  it('accepts a delivery during a rotation whichever side holds the new secret', () => {
    // Akeneo signs the primary header with its primary secret and the secondary header with its secondary one.
    const rotating = { primary: sign(OLD), secondary: sign(NEW) };
    expect(checkSignature(body, rotating, [OLD])).toBe('valid');
    expect(checkSignature(body, rotating, [NEW])).toBe('valid');
    expect(checkSignature(body, { primary: sign(NEW) }, [OLD, NEW])).toBe('valid');
  });

  it('refuses a body changed after signing, a signature made with another secret, and a truncated signature', () => {
    const changed = Buffer.from(`${body.toString()} `);
    expect(checkSignature(changed, { primary: sign(OLD) }, [OLD])).toBe('bad_signature');
    expect(checkSignature(body, { primary: sign('someone-else-secret-value') }, [OLD])).toBe('bad_signature');
    expect(checkSignature(body, { primary: sign(OLD).slice(0, 62) }, [OLD])).toBe('bad_signature');
    expect(checkSignature(body, { primary: `${sign(OLD)}00` }, [OLD])).toBe('bad_signature');
    expect(checkSignature(body, { primary: 'zz'.repeat(32) }, [OLD])).toBe('bad_signature');
  });

  it('refuses an unsigned delivery, and any algorithm but HmacSHA256', () => {
    expect(checkSignature(body, {}, [OLD])).toBe('unsigned');
    expect(checkSignature(body, { primary: '' }, [OLD])).toBe('unsigned');
    expect(checkSignature(body, { primary: sign(OLD), algorithm: 'HmacSHA1' }, [OLD])).toBe('unsupported_algorithm');
  });

  it('verifies nothing against no secret, or an empty one', () => {
    expect(checkSignature(body, { primary: sign('') }, [''])).toBe('bad_signature');
    expect(checkSignature(body, { primary: sign(OLD) }, [])).toBe('bad_signature');
  });
});

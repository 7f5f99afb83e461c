import { withoutControlCharacters } from '../../../functions/core/plain-text';
import { controlCharactersIn } from '../../support/control-characters';

describe('withoutControlCharacters', () => {
  it('drops the escape sequences that would clear the screen, set the title or ring the bell', () => {
    const hostile = 'Revoked\u001b[2J\u001b]0;owned\u0007 by \u009b31mthe PIM\u0000\u007f';

    const plain = withoutControlCharacters(hostile);

    expect(plain).toBe('Revoked[2J]0;owned by 31mthe PIM');
    expect(controlCharactersIn(hostile)).toHaveLength(6);
    expect(controlCharactersIn(plain)).toEqual([]);
  });

  it('turns each run of line breaks and tabs into one space, and keeps ordinary spaces as they are', () => {
    expect(withoutControlCharacters('first line\r\n\tsecond  line\u0085third\u2028fourth')).toBe(
      'first line second  line third fourth',
    );
  });

  it('keeps every printable character, accents, scripts and emoji included', () => {
    const printable = 'Jülia Ştark <julia+pim@example.com> 山田 🙂 read_products';

    expect(withoutControlCharacters(printable)).toBe(printable);
  });
});

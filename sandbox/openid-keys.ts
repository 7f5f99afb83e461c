import { generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import forge from 'node-forge';

export interface OpenIdKeys {
  /** PKCS#1 PEM of the RSA private key that signs id_tokens. */
  readonly privateKeyPem: string;
  /** Self-signed X.509 certificate of the public key, formatted like phpseclib's saveX509 output. */
  readonly certificatePem: string;
}

/** A 2048-bit RSA key pair and a self-signed CA certificate with subject O=Akeneo, as the PIM creates them. */
export function generateOpenIdKeys(): OpenIdKeys {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  // A positive serial number: clear the top bit of the first byte.
  certificate.serialNumber = `0${randomBytes(16).toString('hex').slice(1)}`;
  certificate.validity.notBefore = new Date();
  certificate.validity.notAfter = new Date(Date.UTC(9999, 11, 31, 23, 59, 59));
  const subject = [{ name: 'organizationName', value: 'Akeneo' }];
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  certificate.setExtensions([{ name: 'basicConstraints', cA: true }]);
  signWithNodeCrypto(certificate, privateKey);

  return { privateKeyPem, certificatePem: toPhpseclibPem(forge.pki.certificateToPem(certificate)) };
}

// node-forge exposes this at runtime but its typings do not declare it.
const { getTBSCertificate } = forge.pki as unknown as {
  getTBSCertificate(certificate: forge.pki.Certificate): forge.asn1.Asn1;
};

/** What forge's certificate.sign() does, but with Node's native RSA (forge's pure-JS signing costs ~200 ms). */
function signWithNodeCrypto(certificate: forge.pki.Certificate, privateKey: KeyObject): void {
  const algorithmOid = forge.pki.oids.sha256WithRSAEncryption as string;
  certificate.signatureOid = algorithmOid;
  certificate.siginfo.algorithmOid = algorithmOid;
  certificate.tbsCertificate = getTBSCertificate(certificate);
  const tbsDer = Buffer.from(forge.asn1.toDer(certificate.tbsCertificate).getBytes(), 'binary');
  certificate.signature = sign('sha256', tbsDer, privateKey).toString('binary');
}

/** CRLF line endings and no newline after the END line. */
function toPhpseclibPem(pem: string): string {
  return pem.replace(/\r?\n/g, '\r\n').replace(/(\r\n)+$/, '');
}

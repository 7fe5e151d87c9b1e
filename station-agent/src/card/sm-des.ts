// DES secure messaging (after BAC): 3DES-CBC with zero IV, retail MAC, 8-byte SSC.
import { retailMac, tdesCbcDecrypt, tdesCbcEncrypt } from './des.ts';
import { SecureMessaging, type SmCipher } from './secure-messaging.ts';

export class DesSmCipher implements SmCipher {
  readonly blockSize = 8;

  constructor(
    private readonly ksEnc: Uint8Array,
    private readonly ksMac: Uint8Array,
  ) {}

  encrypt(padded: Uint8Array): Uint8Array {
    return tdesCbcEncrypt(this.ksEnc, padded);
  }

  decrypt(ciphertext: Uint8Array): Uint8Array {
    return tdesCbcDecrypt(this.ksEnc, ciphertext);
  }

  mac(padded: Uint8Array): Uint8Array {
    return retailMac(this.ksMac, padded);
  }
}

export function desSecureMessaging(ksEnc: Uint8Array, ksMac: Uint8Array, ssc: Uint8Array): SecureMessaging {
  return new SecureMessaging(new DesSmCipher(ksEnc, ksMac), ssc);
}

// AES secure messaging (after PACE or Chip Authentication): AES-CBC with IV = E(KSenc, SSC),
// AES-CMAC truncated to 8 bytes, 16-byte SSC (starts at zero after PACE).
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { fromBuffer } from './bytes.ts';
import { aesAlgorithm, aesCmac, aesEncryptBlock } from './cmac.ts';
import { CryptoError } from './errors.ts';
import { SecureMessaging, type SmCipher } from './secure-messaging.ts';

export class AesSmCipher implements SmCipher {
  readonly blockSize = 16;

  constructor(
    private readonly ksEnc: Uint8Array,
    private readonly ksMac: Uint8Array,
  ) {
    aesAlgorithm(ksEnc, 'cbc'); // validates key sizes up front
    aesAlgorithm(ksMac, 'ecb');
  }

  private run(encrypt: boolean, data: Uint8Array, ssc: Uint8Array): Uint8Array {
    if (data.length % 16 !== 0) throw new CryptoError('bad-block-length', `data length ${data.length} is not a multiple of 16`);
    const iv = aesEncryptBlock(this.ksEnc, ssc);
    const alg = aesAlgorithm(this.ksEnc, 'cbc');
    const c = encrypt ? createCipheriv(alg, this.ksEnc, iv) : createDecipheriv(alg, this.ksEnc, iv);
    c.setAutoPadding(false);
    return fromBuffer(Buffer.concat([c.update(data), c.final()]));
  }

  encrypt(padded: Uint8Array, ssc: Uint8Array): Uint8Array {
    return this.run(true, padded, ssc);
  }

  decrypt(ciphertext: Uint8Array, ssc: Uint8Array): Uint8Array {
    return this.run(false, ciphertext, ssc);
  }

  mac(padded: Uint8Array): Uint8Array {
    return aesCmac(this.ksMac, padded).slice(0, 8);
  }
}

export function aesSecureMessaging(ksEnc: Uint8Array, ksMac: Uint8Array, ssc: Uint8Array = new Uint8Array(16)): SecureMessaging {
  return new SecureMessaging(new AesSmCipher(ksEnc, ksMac), ssc);
}

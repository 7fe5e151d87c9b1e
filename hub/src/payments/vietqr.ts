// VietQR: the NAPAS EMVCo merchant-presented QR for a bank transfer (account transfer with amount
// and reference). Tags: 00 payload format "01", 01 initiation "12" (dynamic, one payment), 38 the
// NAPAS consumer-account info (00 GUID A000000727, 01 beneficiary: 00 bank BIN, 01 account; 02
// service QRIBFTTA = transfer to account), 53 currency "704", 54 amount, 58 "VN", 62/08 the
// purpose (our payment reference), 63 CRC-16/CCITT-FALSE over everything before it, "6304"
// included. Source: NAPAS "VietQR" specification v1.5.2 (EMVCo QRCPS-MPM 1.1).

const tlv = (id: string, value: string): string => {
  if (value.length > 99) throw new Error(`VietQR field ${id} is longer than 99 characters`);
  return id + String(value.length).padStart(2, '0') + value;
};

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor) of the ASCII text. */
export function crc16ccitt(text: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

export interface VietQrInput {
  bankBin: string;
  account: string;
  amountVnd?: number;
  /** the transfer's purpose: ASCII letters, digits and spaces (the bank carries it into the notification) */
  purpose?: string;
}

export function vietQr(p: VietQrInput): string {
  if (!/^\d{6}$/.test(p.bankBin)) throw new Error('the bank BIN is 6 digits');
  if (p.purpose !== undefined && !/^[A-Za-z0-9 ]{1,25}$/.test(p.purpose))
    throw new Error('the purpose is 1-25 ASCII letters, digits or spaces');
  const beneficiary = tlv('00', p.bankBin) + tlv('01', p.account);
  const merchant = tlv('00', 'A000000727') + tlv('01', beneficiary) + tlv('02', 'QRIBFTTA');
  let s = tlv('00', '01') + tlv('01', p.amountVnd ? '12' : '11') + tlv('38', merchant) + tlv('53', '704');
  if (p.amountVnd) s += tlv('54', String(p.amountVnd));
  s += tlv('58', 'VN');
  if (p.purpose) s += tlv('62', tlv('08', p.purpose));
  s += '6304';
  return s + crc16ccitt(s);
}

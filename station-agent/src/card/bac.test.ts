import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bacKeys, bacKeySeed, completeMutualAuthentication, externalAuthenticateCommand, performBac } from './bac.ts';
import { encodeCommandApdu } from './apdu.ts';
import { hex, toHex } from './bytes.ts';
import { BacError, StatusError } from './errors.ts';
import { FakeChip, scriptedRandom } from '@tram/testing/card/fake-chip.ts';
import type { Transport } from './transport.ts';

// ICAO 9303-11 Appendix D.2 / D.3.
const MRZ_INFO = 'L898902C<369080619406236';
const RND_IC = hex('4608F91988702212');
const RND_IFD = hex('781723860C06C226');
const K_IFD = hex('0B795240CB7049B01C19B33E32804F0B');
const K_IC = hex('0B4F80323EB3191CB04970CB4052790B');
const EA_COMMAND = '0082000028' + '72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2' + '5F1448EEA8AD90A7' + '28';
const EA_RESPONSE = hex('46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449');
const NONCES = { rndIc: RND_IC, rndIfd: RND_IFD, kIfd: K_IFD };

const isBacError = (code: BacError['code']) => (e: unknown) => e instanceof BacError && e.code === code;

describe('BAC key derivation', () => {
  it('reproduces Kseed, KEnc and KMac', () => {
    assert.equal(toHex(bacKeySeed(MRZ_INFO)), '239AB9CB282DAF66231DC5A4DF6BFBAE');
    const k = bacKeys(MRZ_INFO);
    assert.equal(toHex(k.kEnc), 'AB94FDECF2674FDFB9B391F85D7F76F2');
    assert.equal(toHex(k.kMac), '7962D9ECE03D1ACD4C76089DCE131543');
  });
});

describe('BAC mutual authentication', () => {
  it('builds the Appendix D EXTERNAL AUTHENTICATE byte for byte', () => {
    const cmd = externalAuthenticateCommand(bacKeys(MRZ_INFO), NONCES);
    assert.equal(toHex(encodeCommandApdu(cmd)), EA_COMMAND);
  });

  it('verifies the chip response and derives KSEnc, KSMac, SSC', () => {
    const s = completeMutualAuthentication(bacKeys(MRZ_INFO), NONCES, EA_RESPONSE);
    assert.equal(toHex(s.kIc), toHex(K_IC));
    assert.equal(toHex(s.ksEnc), '979EC13B1CBFE9DCD01AB0FED307EAE5');
    assert.equal(toHex(s.ksMac), 'F1CB1F1FB5ADF208806B89DC579DC1F8');
    assert.equal(toHex(s.ssc), '887022120C06C226');
  });

  it('rejects a response with a bad MAC', () => {
    const bad = Uint8Array.from(EA_RESPONSE);
    bad[39]! ^= 0x01;
    assert.throws(() => completeMutualAuthentication(bacKeys(MRZ_INFO), NONCES, bad), isBacError('bad-mac'));
  });

  it('rejects a response that does not echo our nonce (replay / wrong session)', () => {
    const other = { ...NONCES, rndIfd: hex('781723860C06C227') };
    assert.throws(() => completeMutualAuthentication(bacKeys(MRZ_INFO), other, EA_RESPONSE), isBacError('nonce-mismatch'));
  });

  it('rejects a response under the wrong MRZ keys and wrong lengths', () => {
    assert.throws(() => completeMutualAuthentication(bacKeys('L898902C<369080619406244'), NONCES, EA_RESPONSE), isBacError('bad-mac'));
    assert.throws(
      () => completeMutualAuthentication(bacKeys(MRZ_INFO), NONCES, EA_RESPONSE.subarray(0, 39)),
      isBacError('bad-response-length'),
    );
    assert.throws(() => externalAuthenticateCommand(bacKeys(MRZ_INFO), { ...NONCES, rndIc: hex('00') }), isBacError('bad-challenge'));
  });
});

describe('performBac over a transport', () => {
  it('replays the Appendix D exchange with injected randomness', async () => {
    const sent: string[] = [];
    const replies = [hex('4608F919887022129000'), Uint8Array.from([...EA_RESPONSE, 0x90, 0x00])];
    const transport: Transport = {
      async transmit(apdu) {
        sent.push(toHex(apdu));
        return replies.shift()!;
      },
    };
    const channel = await performBac(transport, MRZ_INFO, scriptedRandom(RND_IFD, K_IFD));
    assert.deepEqual(sent, ['0084000008', EA_COMMAND]);
    assert.equal(toHex(channel.sm.sendSequenceCounter), '887022120C06C226');
  });

  it('authenticates against the simulated chip and fails with a wrong MRZ', async () => {
    const chip = new FakeChip({ mrzInformation: '090012345090011583001156', files: new Map() });
    const ch = await performBac(chip, '090012345090011583001156');
    assert.equal(chip.authenticated, true);
    assert.equal(ch.sm.isClosed, false);

    const chip2 = new FakeChip({ mrzInformation: '090012345090011583001156', files: new Map() });
    await assert.rejects(performBac(chip2, '090012345090011583001164'), (e: unknown) => e instanceof StatusError && e.sw === 0x6300);
  });
});

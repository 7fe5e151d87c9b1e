import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brainpoolP256r1 } from '@noble/curves/misc.js';
import { bytesToBigInt } from '@tram/icao/der.ts';
import { hex, toHex } from './bytes.ts';
import { scriptedRandom } from '@tram/testing/card/fake-chip.ts';
import { bacMrzInformation } from './mrz.ts';
import {
  authToken,
  authTokenInput,
  decodePoint,
  mapGenerator,
  mseSetAtCommand,
  nonceCipher,
  parsePaceInfos,
  passwordKey,
  performPace,
  selectPaceInfo,
  xCoordinate,
} from './pace.ts';
import { encodeCommandApdu } from './apdu.ts';
import type { Transport } from './transport.ts';

// PACE ECDH-GM brainpoolP256r1 worked example (ICAO 9303-11 Appendix G), as published in
// ZeroPass/dmrtd test/pace_test_ecdh.dart. MRZ: document T22000129, born 640812, expires 101031.
const V = {
  mrzInformation: bacMrzInformation('T22000129', '640812', '101031'),
  cardAccess: hex('31143012060A04007F0007020204020202010202010D'),
  kPi: '89DED1B26624EC1E634C1989302849DD',
  nonceEncrypted: hex('95A3A016522EE98D01E76CB6B98B42C3'),
  nonce: '3F00C4D39D153F2B2A214A078D899B22',
  terminalMapSk: hex('7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99'),
  terminalMapPk:
    '047ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D',
  chipMapPk: hex(
    '04824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F5730D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C54',
  ),
  sharedH:
    '0460332EF2450B5D247EF6D3868397D398852ED6E8CAF6FFEEF6BF85CA57057FD50840CA7415BAF3E43BD414D35AA4608B93A2CAF3A4E3EA4E82C9C13D03EB7181',
  mappedG:
    '048CED63C91426D4F0EB1435E7CB1D74A46723A0AF21C89634F65A9AE87A9265E28C879506743F8611AC33645C5B985C80B5F09A0B83407C1B6A4D857AE76FE522',
  terminalEphSk: hex('A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595'),
  terminalEphPk:
    '042DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB36462',
  chipEphPk: hex(
    '049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094',
  ),
  sharedK: '28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925',
  ksEnc: 'F5F0E35C0D7161EE6724EE513A0D9A7F',
  ksMac: 'FE251C7858B356B24514B3BD5F4297D1',
  tokenInputIfd:
    '7F494F060A04007F000702020402028641049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094',
  tIfd: 'C2B0BD78D94BA866',
  tIc: '3ABB9674BCE93C08',
  apdus: [
    ['0022C1A40F800A04007F00070202040202830101', '9000'],
    ['10860000027C0000', '7C12801095A3A016522EE98D01E76CB6B98B42C39000'],
    [
      '10860000457C438141047ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D00',
      '7C43824104824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F5730D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C549000',
    ],
    [
      '10860000457C438341042DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB3646200',
      '7C438441049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F0949000',
    ],
    ['008600000C7C0A8508C2B0BD78D94BA86600', '7C0A86083ABB9674BCE93C089000'],
  ] as const,
};
const PROTOCOL = '0.4.0.127.0.7.2.2.4.2.2';

describe('PACE ECDH-GM (9303-11 Appendix G vectors via ZeroPass/dmrtd)', () => {
  it('parses PACEInfo from EF.CardAccess, including the CCCD one', () => {
    assert.deepEqual(parsePaceInfos(V.cardAccess), [{ protocol: PROTOCOL, version: 2, parameterId: 13 }]);
    const cccd = hex('3134300d060804007f0007020202020101300f060a04007f000702020302020201013012060a04007f0007020204020202010202010d');
    assert.deepEqual(selectPaceInfo(parsePaceInfos(cccd)), { protocol: PROTOCOL, version: 2, parameterId: 13 });
  });

  it('derives Kπ from the MRZ and decrypts the nonce', () => {
    assert.equal(V.mrzInformation, 'T22000129364081251010318');
    const kPi = passwordKey({ mrzInformation: V.mrzInformation }, 'aes128');
    assert.equal(toHex(kPi), V.kPi);
    assert.equal(toHex(nonceCipher(kPi, V.nonceEncrypted, false)), V.nonce);
  });

  it('computes the mapping, the mapped generator, the shared secret, session keys and tokens', () => {
    const c = brainpoolP256r1;
    const mapSk = bytesToBigInt(V.terminalMapSk);
    assert.equal(toHex(c.Point.BASE.multiply(mapSk).toBytes(false)), V.terminalMapPk);
    const h = decodePoint(c, V.chipMapPk).multiply(mapSk);
    assert.equal(toHex(h.toBytes(false)), V.sharedH);
    const g = mapGenerator(c, hex(V.nonce), h);
    assert.equal(toHex(g.toBytes(false)), V.mappedG);
    const ephSk = bytesToBigInt(V.terminalEphSk);
    assert.equal(toHex(g.multiply(ephSk).toBytes(false)), V.terminalEphPk);
    assert.equal(toHex(xCoordinate(decodePoint(c, V.chipEphPk).multiply(ephSk), c)), V.sharedK);
    assert.equal(toHex(authTokenInput(PROTOCOL, V.chipEphPk)), V.tokenInputIfd);
    assert.equal(toHex(authToken(hex(V.ksMac), PROTOCOL, V.chipEphPk)), V.tIfd);
    assert.equal(toHex(authToken(hex(V.ksMac), PROTOCOL, hex(V.terminalEphPk))), V.tIc);
    assert.equal(
      toHex(encodeCommandApdu(mseSetAtCommand({ protocol: PROTOCOL, version: 2 }, { mrzInformation: V.mrzInformation }))),
      V.apdus[0][0],
    );
  });

  it('performPace sends every APDU of the worked example byte for byte and derives KSenc/KSmac', async () => {
    let step = 0;
    const transport: Transport = {
      async transmit(apdu) {
        const [expected, reply] = V.apdus[step++]!;
        assert.equal(toHex(apdu), expected, `APDU ${step}`);
        return hex(reply);
      },
    };
    const r = await performPace(
      transport,
      V.cardAccess,
      { mrzInformation: V.mrzInformation },
      scriptedRandom(V.terminalMapSk, V.terminalEphSk),
    );
    assert.equal(step, 5);
    assert.equal(toHex(r.ksEnc), V.ksEnc);
    assert.equal(toHex(r.ksMac), V.ksMac);
    assert.equal(toHex(r.channel.sm.sendSequenceCounter), '00'.repeat(16));
  });

  it('rejects a wrong chip token', async () => {
    let step = 0;
    const transport: Transport = {
      async transmit() {
        const reply = V.apdus[step++]![1];
        return hex(step === 5 ? reply.replace('3ABB9674', '3ABB9675') : reply);
      },
    };
    await assert.rejects(
      performPace(transport, V.cardAccess, { mrzInformation: V.mrzInformation }, scriptedRandom(V.terminalMapSk, V.terminalEphSk)),
      (e: unknown) => e instanceof Error && (e as { code?: string }).code === 'bad-token',
    );
  });
});

import { constants, deflateSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  objectStreamContents,
  pdfStream,
  pdfWith,
  pdfWithEscapedScript,
  pdfWithScript,
  pdfWithScriptInObjectStream,
  reportPdf,
} from '../../test/report-files.ts';
import { pdfHasScript } from './agencies.ts';

/*
 * Scripts and actions hidden from a plain search of a PDF's bytes: names written with #xx escapes, and
 * dictionaries inside compressed object streams. Real PDFs from pdfkit, with crafted objects appended.
 */
const inflate = (data: Uint8Array, maxBytes: number) =>
  inflateSync(data, { maxOutputLength: maxBytes, finishFlush: constants.Z_SYNC_FLUSH });
const scripted = (bytes: Buffer) => pdfHasScript(bytes, inflate);

describe('a PDF that runs something when it is opened', () => {
  it('passes a plain report, whose compressed page content is read too', async () => {
    const plain = await reportPdf('Kit understands more than he says. JS AA /Launch is only text here.');
    expect(plain.toString('latin1')).toContain('/FlateDecode');
    expect(scripted(plain)).toBe(false);
  });

  it('finds an action and a script written in plain names, as before', async () => {
    expect(scripted(await pdfWithScript())).toBe(true);
  });

  it('finds names written with #xx escapes: /Open#41ction, /J#61vaScript, /J#53', async () => {
    expect(scripted(await pdfWithEscapedScript())).toBe(true);
    // An escape that spells another name is that name.
    expect(scripted(await pdfWith('9 0 obj << /S /Laun#63hPad >> endobj'))).toBe(false);
    expect(scripted(await pdfWith('9 0 obj << /Type /Action /S /J#53 >> endobj'))).toBe(true);
  });

  it('finds /OpenAction and /JavaScript inside a compressed object stream', async () => {
    expect(scripted(await pdfWithScriptInObjectStream())).toBe(true);
    // The filter's name escaped, and no /Type at all (a reader goes by /First and /N).
    expect(scripted(await pdfWithScriptInObjectStream('/N 2 /First {first} /Filter /Fl#61teDecode'))).toBe(
      true,
    );
    // A compressed stream that is not an object stream, holding the same names, is read as well.
    const { data } = objectStreamContents();
    expect(scripted(await pdfWith(pdfStream(12, '/Filter /FlateDecode', deflateSync(data))))).toBe(true);
  });

  it('refuses an object stream it cannot read: another filter, a predictor, broken bytes, or too large', async () => {
    const { first, data } = objectStreamContents();
    const objStm = `/Type /ObjStm /N 2 /First ${first}`;
    const cases = [
      pdfStream(12, `${objStm} /Filter /ASCIIHexDecode`, Buffer.from(data.toString('hex'))),
      pdfStream(12, `${objStm} /Filter [/FlateDecode /ASCII85Decode]`, deflateSync(data)),
      pdfStream(
        12,
        `${objStm} /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 4 >>`,
        deflateSync(data),
      ),
      pdfStream(12, `${objStm} /Filter /FlateDecode`, Buffer.from('not deflated at all')),
      // 60 MB of spaces before the objects: past what any PDF is inflated to.
      pdfStream(12, `${objStm} /Filter /FlateDecode`, deflateSync(Buffer.alloc(60 * 1024 * 1024, 0x20))),
    ];
    for (const [i, stream] of cases.entries())
      expect(scripted(await pdfWith(stream)), `case ${i}`).toBe(true);
    // Not compressed at all: its bytes are the file's, read as they are (here, nothing to find).
    expect(scripted(await pdfWith(pdfStream(12, objStm, Buffer.from('10 0 11 20 << >> << >>'))))).toBe(false);
  });

  it('skips a compressed stream that is not an object stream when it is broken, too large, an image or a font', async () => {
    const { data } = objectStreamContents();
    expect(scripted(await pdfWith(pdfStream(12, '/Filter /FlateDecode', Buffer.from('broken'))))).toBe(false);
    expect(
      scripted(
        await pdfWith(
          pdfStream(12, '/Filter /FlateDecode', deflateSync(Buffer.alloc(60 * 1024 * 1024, 0x20))),
        ),
      ),
    ).toBe(false);
    expect(
      scripted(
        await pdfWith(
          pdfStream(
            12,
            '/Type /XObject /Subtype /Image /Width 1 /Height 1 /Filter /FlateDecode',
            deflateSync(data),
          ),
          pdfStream(13, '/Length1 300 /Filter /FlateDecode', deflateSync(data)),
        ),
      ),
    ).toBe(false);
  });
});

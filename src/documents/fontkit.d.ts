/** The part of fontkit (pdfkit's font engine) OpenSEND uses: parsing a font file once per process. */
declare module 'fontkit' {
  export interface Font {
    postscriptName: string;
    layout(text: string): unknown;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}

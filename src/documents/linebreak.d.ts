/** The part of linebreak (pdfkit's line breaker, Unicode UAX #14) OpenSEND uses: the break opportunities of a text. */
declare module 'linebreak' {
  export default class LineBreaker {
    constructor(text: string);
    /** The next place a line may (or, after a line break, must) end; null at the end of the text. */
    nextBreak(): { position: number; required: boolean } | null;
  }
}

// The `iso_8583` package ships no types; this is the slice the interoperability tests use.
declare module "iso_8583" {
  export default class Iso8583 {
    constructor(fields?: Record<number, string>, customFormats?: Record<string, unknown>);
    getRawMessage(): Buffer | { error: string };
    getIsoJSON(buffer: Buffer, config: { lenHeader?: boolean }): Record<string, string> & { error?: string };
  }
}

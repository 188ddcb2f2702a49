/** A message that cannot be packed or unpacked: a bug on our side or a garbled peer. */
export class Iso8583Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Iso8583Error";
  }
}

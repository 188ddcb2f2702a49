/** An ISO 8583 message: its message type indicator and data elements as strings, by number. */
export interface IsoMessage {
  mti: string;
  fields: Partial<Record<number, string>>;
}

/** The response MTI for a request MTI: the function digit (third) goes up by one (0100 -> 0110). */
export function responseMti(requestMti: string): string {
  const functionDigit = Number(requestMti[2]);
  return `${requestMti.slice(0, 2)}${functionDigit + 1}${requestMti[3]}`;
}

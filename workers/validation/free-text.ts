import { z } from "zod";
import { containsCardNumber } from "../../common/card-like-text.js";

/**
 * A merchant's free text (description, metadata value, customer reference, dispute evidence):
 * a string of at most `max` characters that holds nothing shaped like a card number. The 400
 * names the field (`metadata[order]`), so the merchant knows where it was.
 */
export function freeText(max: number, min = 0) {
  return z
    .string()
    .min(min)
    .max(max)
    .refine((value) => !containsCardNumber(value), {
      message: "must not contain a card number (13-19 digits that pass the Luhn check)",
    });
}

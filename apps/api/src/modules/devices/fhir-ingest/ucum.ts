// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the package ships no types: every program that compiles this file (the browser tests' too) must see ours
/// <reference path="./ucum-lhc.d.ts" />
import { UcumLhcUtils } from '@lhncbc/ucum-lhc';

const utils = UcumLhcUtils.getInstance();

export type Conversion = { ok: true; value: number } | { ok: false; reason: string };

/**
 * Converts a quantity to the unit a reading is kept in, where UCUM says the two are commensurable
 * (kPa to mm[Hg], [degF] to Cel, {beats}/min to /min, 1 to %); anything else is refused with
 * UCUM's reason. A converted value keeps two decimals: the rules round to the unit's precision.
 */
export function convertTo(value: number, from: string, to: string): Conversion {
  if (from === to) return { ok: true, value };
  let result: ReturnType<typeof utils.convertUnitTo>;
  try {
    result = utils.convertUnitTo(from, value, to);
  } catch {
    return { ok: false, reason: `${from} is not a UCUM unit` };
  }
  if (result.status !== 'succeeded' || result.toVal === null || !Number.isFinite(result.toVal)) {
    const known = !result.msg.some((m) => /not a valid UCUM code|Unable to find a unit/.test(m));
    return {
      ok: false,
      reason: known ? `${from} cannot be converted to ${to}` : `${from} is not a UCUM unit`,
    };
  }
  return { ok: true, value: Math.round(result.toVal * 100) / 100 };
}

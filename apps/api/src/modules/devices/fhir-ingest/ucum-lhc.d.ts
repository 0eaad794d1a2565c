/** The parts of @lhncbc/ucum-lhc (NLM's UCUM library, shipped without types) that Vigil uses. */
declare module '@lhncbc/ucum-lhc' {
  interface UcumConversion {
    status: 'succeeded' | 'failed' | 'error';
    toVal: number | null;
    msg: string[];
  }
  interface UcumUtils {
    convertUnitTo(fromUnitCode: string, fromVal: number, toUnitCode: string): UcumConversion;
  }
  export const UcumLhcUtils: { getInstance(): UcumUtils };
}

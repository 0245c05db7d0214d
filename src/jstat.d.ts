// The part of jStat (https://github.com/jstat/jstat, MIT, no dependencies) that src/stats.ts uses. jStat ships
// no types; only src/stats.ts imports it, so the rest of the code sees typed wrappers.

declare module 'jstat' {
  interface Distribution2 {
    cdf(x: number, a: number, b: number): number;
    inv(p: number, a: number, b: number): number;
  }
  interface Distribution1 {
    cdf(x: number, k: number): number;
    inv(p: number, k: number): number;
  }
  interface JStat {
    normal: Distribution2;
    chisquare: Distribution1;
    erfc(x: number): number;
  }
  const jStat: JStat;
  export default jStat;
}

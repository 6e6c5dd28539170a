/** @doyensec/electronegativity ships no types; the programmatic runner the security test calls. */
declare module '@doyensec/electronegativity' {
  const run: (options: object) => Promise<unknown>;
  export default run;
}

/**
 * @module
 * `bottleneck/light.js` (the build Octokit's plugins use) ships without its own declarations;
 * it has the same API as the full build.
 */
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}

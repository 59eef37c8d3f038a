export { default } from '@plugboard/config/vitest';

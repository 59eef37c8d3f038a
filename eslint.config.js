export { default } from '@plugboard/config/eslint';

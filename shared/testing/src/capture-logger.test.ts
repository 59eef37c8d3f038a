import { describe, expect, it } from 'vitest';
import { captureLogger } from './capture-logger.js';

describe('captureLogger', () => {
  it('keeps every line at every level, in order, with its fields as JSON', () => {
    const { logger, lines } = captureLogger();
    logger.debug('starting');
    logger.info('listening', { port: 1 });
    logger.warn('slow');
    logger.error('failed', { code: 'E' });
    expect(lines).toEqual([
      'debug starting ',
      'info listening {"port":1}',
      'warn slow ',
      'error failed {"code":"E"}',
    ]);
    expect(logger.enabled('debug')).toBe(true);
  });
});

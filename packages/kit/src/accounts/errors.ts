/**
 * @module
 * How the accounts fail, each with a sentence for the person reading it. None of the messages
 * holds a token, a code, a verifier or a `state`.
 */

/** The stored grant exists but no key of `PLUGBOARD_ACCOUNTS_KEY` opens it. */
export class AccountsKeyError extends Error {
  override readonly name = 'AccountsKeyError';
}

/** The provider's or the operator's token endpoint refused, or answered what cannot be read. */
export class TokenEndpointError extends Error {
  override readonly name = 'TokenEndpointError';
  /** The endpoint said no (`invalid_grant`...), as opposed to being unreachable. */
  readonly refused: boolean;

  constructor(message: string, refused: boolean) {
    super(message);
    this.refused = refused;
  }
}

/**
 * @module
 * The one error the documents library throws: a file that is not what its type says, or one
 * that would take more than its budget to read. The message is written for the model and names
 * the bound that was reached; callers turn it into a tool error in one place.
 */
export class DocumentError extends Error {
  override readonly name = 'DocumentError';
}

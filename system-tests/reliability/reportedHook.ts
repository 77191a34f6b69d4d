/**
 * uvu 0.5 swallows an error thrown by a `before` hook (every test then fails
 * with no message): this wrapper prints it first, so the failure says why.
 */
export function reportedHook(hook: () => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await hook();
    } catch (error) {
      console.error('before hook failed:', error);
      throw error;
    }
  };
}

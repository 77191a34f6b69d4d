/** Image references as Docker and Compose read them: `[registry/]repository[:tag][@digest]`. */

export interface ImageReference {
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

export function parseImageReference(reference: string): ImageReference {
  const [name = '', digest] = reference.split('@', 2);
  // A colon after the last slash starts the tag; one before it is a registry port.
  const colon = name.lastIndexOf(':');
  const hasTag = colon > name.lastIndexOf('/');
  return {
    repository: hasTag ? name.slice(0, colon) : name,
    tag: hasTag ? name.slice(colon + 1) : undefined,
    digest,
  };
}

/**
 * Pinned: a digest, or a tag that names at least major.minor (`17.6-bookworm`,
 * `v24.3.6`). `latest`, a bare major (`17`) or no tag at all move under you.
 */
export function isPinned(reference: string): boolean {
  const { tag, digest } = parseImageReference(reference);
  if (digest !== undefined) return /^sha256:[0-9a-f]{64}$/.test(digest);
  return tag !== undefined && /^v?\d+\.\d+/.test(tag);
}

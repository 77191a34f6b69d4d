import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';

/**
 * The two credentials a user route accepts, as OpenAPI security schemes (both
 * HTTP bearer, so the docs page's Authorize sends either as
 * `Authorization: Bearer …`). Returns the security requirement of a route
 * that needs a credential: one scheme or the other.
 */
export function registerSecuritySchemes(registry: OpenAPIRegistry): Record<string, string[]>[] {
  const userToken = registry.registerComponent('securitySchemes', 'userToken', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'A user ID token (the Firebase ID token the app signs students in with): a student reads only their own uid; ' +
      'staff read every uid and change profiles.',
  });
  const serviceToken = registry.registerComponent('securitySchemes', 'serviceToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'A service token (SERVICE_TOKENS, or API_TOKEN), with the rights it was configured with: read (every uid), write (profiles).',
  });
  return [{ [userToken.name]: [] }, { [serviceToken.name]: [] }];
}

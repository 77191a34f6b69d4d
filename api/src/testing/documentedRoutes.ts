/** Every route the OpenAPI document and the docs page must list (DESIGN §6 plus progress), sorted. */
export const DOCUMENTED_ROUTES = [
  'GET /health',
  'GET /items/{questionID}',
  'GET /lessons/{lessonId}',
  'GET /openapi.json',
  'GET /papers/{paperId}',
  'GET /users/{id}',
  'GET /users/{id}/activity',
  'GET /users/{id}/progress',
  'PATCH /users/{id}',
];

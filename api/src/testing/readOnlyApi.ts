/**
 * The API on imported data for tests that only read: `token` is its API_TOKEN
 * (every right), there is no broker (/health reports it down) and no PATCH.
 */
import { createApp, type AppDependencies } from '../app.ts';
import { createTestCredentials } from './credentials.ts';
import { startTestServer, type TestServer } from './http.ts';
import type { ImportedData } from './importedData.ts';

export async function startReadOnlyApi(
  data: ImportedData,
  token: string,
  deps: Pick<AppDependencies, 'logger' | 'metrics' | 'curriculumCache' | 'userCache'>,
): Promise<TestServer> {
  const credentials = await createTestCredentials();
  const { app } = createApp({
    ...deps,
    pool: data.pool,
    config: credentials.appConfig({ API_TOKEN: token, TOPIC_PREFIX: data.topicPrefix }),
    kafka: { endOffsets: () => Promise.reject(new Error('no broker in this test')) },
    profileEvents: {} as never,
  });
  return startTestServer(app);
}

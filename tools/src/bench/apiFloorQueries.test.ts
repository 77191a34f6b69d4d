import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { boundValues, floorRoutes, ID_SLOT, pgText } from './apiFloorQueries.ts';

test('pgText numbers placeholders as pg does', () => {
  assert.is(pgText('a = $slonik_1 AND b = $slonik_12'), 'a = $1 AND b = $12');
});

test("the floor's statements are the API's own, with the id bound, per route", async () => {
  const routes = await floorRoutes();
  assert.equal(
    routes.map((route) => [route.route, route.statements.map((statement) => statement.name)]),
    [
      ['/users/:id', ['userProfile']],
      ['/papers/:paperId', ['paperById', 'paperItems']],
      ['/items/:questionID', ['itemById', 'itemAppearances', 'itemLessons']],
    ],
  );
  for (const statement of routes.flatMap((route) => route.statements)) {
    assert.not.ok(statement.text.includes('$slonik_'), statement.name);
    assert.ok(/\$1\b/.test(statement.text), `${statement.name} binds $1`);
    assert.ok(statement.values.includes(ID_SLOT), statement.name);
    assert.ok(boundValues(statement, 'U1').includes('U1'));
    assert.not.ok(boundValues(statement, 'U1').includes(ID_SLOT));
  }
  const [users] = routes;
  assert.ok(users?.statements[0]?.text.includes('FROM users u'), 'the text of api/src/queries/users.ts');
});

test.run();

import { describe, expect, it } from 'vitest';
import { translateSpel, translateSpelExpression } from './spel';

describe('SpEL to Kiln expressions', () => {
  it('translates the forms pipelines use', () => {
    const cases: Array<[string, string]> = [
      ["trigger['payload']['ref']", "trigger['payload']['ref']"],
      ['parameters.x', 'parameters.x'],
      ["#stage('Bake')['context']['imageId']", "stages['Bake'].outputs['imageId']"],
      ['#stage("Find").context.amiName', "stages['Find'].outputs.amiName"],
      ["#stage('Deploy')['status'] == 'SUCCEEDED'", "stages['Deploy']['status'] == 'SUCCEEDED'"],
      ["#judgment('Approve')", "stages['Approve'].outputs.judgment"],
      ["#judgement('Approve') == 'go'", "stages['Approve'].outputs.judgment == 'go'"],
      ["parameters.env == 'prod' ? 'large' : 'small'", "parameters.env == 'prod' ? 'large' : 'small'"],
      ['#toInt(parameters.replicas) > 2 and not parameters.dry', 'toInt(parameters.replicas) > 2 && !parameters.dry'],
      ['#alphanumerical(trigger.payload.branch)', 'alphanumerical(trigger.payload.branch)'],
      ["#fromJson(parameters.cfg)['size']", "fromJson(parameters.cfg)['size']"],
      ['#readJson(parameters.cfg).size', 'fromJson(parameters.cfg).size'],
    ];
    for (const [spel, kiln] of cases) expect(translateSpelExpression(spel)).toEqual({ ok: true, text: kiln });
  });

  it("leaves the words 'and', 'or', 'not' inside strings alone", () => {
    expect(translateSpelExpression("parameters.x == 'rock and roll' or parameters.y")).toEqual({ ok: true, text: "parameters.x == 'rock and roll' || parameters.y" });
  });

  it('translates every template in a string, and names what it cannot translate', () => {
    expect(translateSpel('app-${ parameters.env }-${ #toInt(parameters.n) }')).toEqual({ ok: true, text: 'app-${ parameters.env }-${ toInt(parameters.n) }' });
    expect(translateSpel('${ #deployedServerGroups[0].ami }')).toEqual({
      ok: false,
      text: '${ #deployedServerGroups[0].ami }',
      reason: '#deployedServerGroups[0].ami: SpEL helper #deployedServerGroups has no Kiln equivalent',
    });
    expect(translateSpel("${ trigger.payload.ref.startsWith('refs/tags') }")).toMatchObject({ ok: false, reason: expect.stringMatching(/unexpected text after the expression/) });
    expect(translateSpel('${ execution.id }')).toEqual({ ok: true, text: '${ execution.id }' });
  });
});

import { defineStageUi, str } from './stage-ui';

export const deployUi = defineStageUi('deploy', {
  icon: 'M12 3l8 4.5v9L12 21l-8-4.5v-9L12 3zM12 12l8-4.5M12 12v9M12 12L4 7.5',
  tone: 'bg-orange-100 text-orange-700 dark:bg-orange-950 dark:text-orange-300',
  summary: (c) => `${str(c.image, '(no image)')} → ${str(c.account, '?')}/${str(c.region, '?')} · ${str(c.strategy, 'redblack')}`,
  help: {
    account: 'Account to deploy into.',
    region: 'Region to deploy into.',
    stack: 'Stack part of the cluster name (app-stack-detail), e.g. prod.',
    detail: 'Detail part of the cluster name, e.g. canary.',
    image: "name:version, or ${ stages['Find image'].outputs.image }.",
    capacity: 'JSON {"min":1,"desired":2,"max":4}; a number may be a ${ … } expression, e.g. "desired":"${ parameters.count }".',
    loadBalancers: 'Load balancers the new group joins, one per line.',
    userData: 'User data (cloud-init or Ignition) the instances read at boot.',
    strategy: 'How traffic moves to the new group: red/black, rolling red/black, canary, highlander (destroy the rest) or none.',
    maxRemainingAsgs: 'Red/black: server groups the cluster keeps, the new one included.',
    scaleDown: 'Red/black: resize the disabled groups to zero.',
    delayBeforeDisableSec: 'Red/black: wait this long before disabling the old groups.',
    rollbackOnFailure: 'On failure after launch: destroy the new group and give traffic back.',
    healthyTimeoutSec: 'How long new instances have to come up healthy.',
    targetPercentages: 'Rolling red/black: traffic shares step by step, e.g. 10, 50, 100.',
    delayBetweenStepsSec: 'Rolling red/black: pause between steps.',
    pipelineBetweenSteps:
      'Rolling red/black: a pipeline of this application (e.g. a smoke test or a manual judgment) that must succeed before each next step; if it fails, the deploy rolls back.',
    canary: 'Canary analysis as JSON: weight, capacity, analysisSec, maxErrorRateIncrease, maxLatencyIncreasePct (median), minRequests.',
  },
  multiline: ['userData'],
});

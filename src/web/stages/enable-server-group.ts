import { serverGroupStageUi } from './server-group-stage-ui';
import { defineStageUi } from './stage-ui';

export const enableServerGroupUi = defineStageUi('enableServerGroup', {
  icon: 'M5 12l4 4 10-10',
  ...serverGroupStageUi('enable'),
});

import { serverGroupStageUi } from './server-group-stage-ui';
import { defineStageUi } from './stage-ui';

export const destroyServerGroupUi = defineStageUi('destroyServerGroup', {
  icon: 'M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13',
  ...serverGroupStageUi('destroy'),
});

import { serverGroupStageUi } from './server-group-stage-ui';
import { defineStageUi } from './stage-ui';

export const disableServerGroupUi = defineStageUi('disableServerGroup', {
  icon: 'M6 6l12 12M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z',
  ...serverGroupStageUi('disable'),
});

import { FIRST_BOOT_UNIT } from '../../../shared/provisioning/first-boot-agent';
import { UNIT_DIR, WANTS_DIR } from '../provisioning-files';
import { defineCheck } from './check';

/** The agent-less first-boot unit is installed and enabled (its wants link exists). */
export const firstBootUnitCheck = defineCheck({
  name: 'first-boot unit',
  applies: (image) => image.recipe.provisioning?.firstBootAgent !== undefined,
  async run({ reader }) {
    const unit = await reader.read(`${UNIT_DIR}/${FIRST_BOOT_UNIT}`);
    if (unit === undefined) return `${UNIT_DIR}/${FIRST_BOOT_UNIT} is missing`;
    if (!/^ExecStart=\/\S+/m.test(unit)) return `${FIRST_BOOT_UNIT} has no ExecStart`;
    if (!(await reader.exists(`${WANTS_DIR}/${FIRST_BOOT_UNIT}`))) return `${FIRST_BOOT_UNIT} is not enabled (no link in ${WANTS_DIR})`;
    return undefined;
  },
});

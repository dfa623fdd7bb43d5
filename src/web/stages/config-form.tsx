import { configFieldLabel } from '../../shared/domain/problem-messages';
import { isStageType, stageDefinitions } from '../../shared/stages/registry';
import { FieldInput } from './field-input';
import { stageUi } from './registry';
import { fieldsOf } from './zod-fields';

interface ConfigFormProps {
  type: string;
  config: Record<string, unknown>;
  /** Problems by config field name (from the shared validation). */
  errors: ReadonlyMap<string, string[]>;
  onChange: (field: string, value: unknown) => void;
}

/** The form of a stage type, generated from its shared zod schema, with the type's help text. */
export function ConfigForm({ type, config, errors, onChange }: ConfigFormProps) {
  if (!isStageType(type)) return null;
  const ui = stageUi(type);
  const fields = fieldsOf(stageDefinitions[type].config) ?? [];
  return (
    <fieldset className="flex flex-col gap-3">
      <legend className="sr-only">Configuration</legend>
      {fields.map((spec) => (
        <FieldInput
          key={spec.name}
          spec={spec}
          label={configFieldLabel(type, spec.name)}
          value={config[spec.name]}
          help={ui.help[spec.name]}
          errors={errors.get(spec.name)}
          multiline={ui.multiline?.includes(spec.name) ?? false}
          onChange={(value) => onChange(spec.name, value)}
        />
      ))}
    </fieldset>
  );
}

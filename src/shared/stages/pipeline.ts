import { z } from 'zod';
import { defineStage, TemplateString } from './definition';
import { ApplicationName } from '../domain/names';

export const pipelineStage = defineStage({
  label: 'Run pipeline',
  description: 'Starts another pipeline with parameters and waits for its execution to finish.',
  config: z.object({
    application: ApplicationName,
    pipeline: z.string().min(1, 'choose the pipeline to run'),
    parameters: z.record(z.string(), TemplateString).default({}),
    waitForCompletion: z.boolean().default(true),
  }),
  defaults: { application: '', pipeline: '', parameters: {}, waitForCompletion: true },
});

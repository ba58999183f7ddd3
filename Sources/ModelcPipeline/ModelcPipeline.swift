// ModelcPipeline: `modelc build` — config -> data -> train -> evaluate -> compile. Orchestration
// only: every step it runs lives in ModelcData, ModelcTraining, ModelcCompiler or ModelcRegistry.

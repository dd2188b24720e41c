/**
 * Stage 6, in-process cost: µs per classification and per rule evaluation with 500 rules, and
 * per produced Kafka record with kafkajs's encoder and checksum and with the producers'
 * replacements (exact-size encoding, sliced CRC-32C), from the micro-benchmarks
 * (bench/classification.bench.ts, bench/rules.bench.ts, bench/kafka-record-encoding.bench.ts), in
 * a process of their own so the other stages' load does not show in them.
 */
import { ClassificationBenchResult, runClassificationBench } from './classification.bench';
import { KafkaRecordEncodingBenchResult, runKafkaRecordEncodingBench } from './kafka-record-encoding.bench';
import { RulesBenchResult, runRulesBench } from './rules.bench';
import { CommonStageOptions, progress, runStage } from './support/stage';

const STAGE = 'in-process';

export interface InProcessResult {
  classifyUs: number;
  rulesUs: number;
  classification: ClassificationBenchResult;
  rules: RulesBenchResult;
  recordEncoding: KafkaRecordEncodingBenchResult;
}

async function runInProcess(): Promise<InProcessResult> {
  progress(
    STAGE,
    'classification micro-bench (reads the model file first, or trains when it does not match the corpus; builds the baseline classifier from git history once)',
  );
  const classification = await runClassificationBench();
  progress(STAGE, 'model %s in %s ms', classification.modelSource === 'file' ? 'read from the model file' : 'trained', classification.modelMs.toFixed(0));
  for (const set of classification.sets)
    progress(
      STAGE,
      'classify %s texts: %s µs median, %s µs p95%s',
      set.name,
      set.classifyUs.toFixed(1),
      set.classifyP95Us.toFixed(1),
      set.ratioToBaseline === undefined ? '' : `; the classifier before: ${set.baselineUs?.toFixed(1)} µs (${set.ratioToBaseline.toFixed(2)}×)`,
    );
  progress(STAGE, 'rules micro-bench (%s)', '500 rules');
  const rules = await runRulesBench();
  progress(STAGE, 'decide: %s µs median, %s µs p99', rules.rulesUs.toFixed(2), rules.rulesP99Us.toFixed(2));
  progress(STAGE, 'Kafka record encoding micro-bench (kafkajs and exact-size, alternating)');
  const recordEncoding = await runKafkaRecordEncodingBench();
  progress(STAGE, 'record: %s µs with kafkajs, %s µs exact-size', recordEncoding.kafkajsUs.toFixed(2), recordEncoding.exactSizeUs.toFixed(2));
  progress(
    STAGE,
    'batch checksum: %s µs per record with kafkajs, %s µs sliced',
    recordEncoding.checksum.kafkajsUs.toFixed(3),
    recordEncoding.checksum.slicedUs.toFixed(3),
  );
  return { classifyUs: classification.classifyUs, rulesUs: rules.rulesUs, classification, rules, recordEncoding };
}

if (require.main === module) runStage<CommonStageOptions, InProcessResult>(STAGE, runInProcess);

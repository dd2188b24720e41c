// nlp.js ships no type declarations; these cover only the parts the classifier uses.

declare module '@nlpjs/lang-es' {
  export class StemmerEs {
    constructor(container?: unknown);
    stemWord(word: string): string;
  }
  export class StopwordsEs {
    constructor(container?: unknown, words?: string[]);
    dictionary: Record<string, boolean>;
  }
}

declare module '@nlpjs/neural' {
  export interface NeuralNetworkSettings {
    iterations?: number;
    errorThresh?: number;
    deltaErrorThresh?: number;
    learningRate?: number;
    momentum?: number;
    alpha?: number;
    log?: boolean | ((status: NeuralTrainingStatus, elapsedMs: number) => void);
  }
  export interface NeuralTrainingStatus {
    error: number;
    deltaError: number;
    iterations: number;
  }
  export interface NeuralNetworkJson {
    settings: NeuralNetworkSettings;
    features?: string[];
    intents?: string[];
    /** One row per output: the weight of every feature, then the bias. */
    perceptrons?: number[][];
  }
  export interface NeuralTrainingItem {
    input: Record<string, number>;
    output: Record<string, number>;
  }
  export class NeuralNetwork {
    constructor(settings?: NeuralNetworkSettings);
    settings: Required<Omit<NeuralNetworkSettings, 'log'>>;
    train(corpus: NeuralTrainingItem[]): NeuralTrainingStatus;
    run(input: Record<string, number>): Record<string, number> | undefined;
    toJSON(): NeuralNetworkJson;
    fromJSON(json: NeuralNetworkJson): void;
  }
}

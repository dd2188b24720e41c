/**
 * The Kubernetes manifests (deploy/k8s) and docker-compose.yml, checked offline.
 *
 * 1. Each kustomization is rendered here (no kustomize binary): the subset of kustomize the
 *    manifests use (resources, namespace, labels, images, `$patch: delete` patches by target) is
 *    implemented below, and any other kustomization field fails the render rather than being
 *    ignored.
 * 2. Every rendered document is validated against the JSON schema of its apiVersion/kind: the
 *    Kubernetes API schemas of `kubernetes-models`, and KEDA's ScaledObject CRD schema (KEDA 2.10.1)
 *    of `@kubernetes-models/keda`. Those schemas accept unknown fields, as the API server does
 *    unless the client asks for strict field validation: it drops them (a misspelt
 *    `maxReplicaCount` would silently become KEDA's default of 100). So each document is also
 *    type-checked, as an object literal, against the TypeScript interfaces generated from the
 *    same schemas, where an unknown field is an error, as with `kubectl apply --validate=strict`.
 * 3. Rules that tie the manifests to the code: every ConfigMap key is a variable the services'
 *    config loaders read (and docs/configuration.md names), every variable they read is set, the
 *    probes are the health controller's paths on the configured port, the termination grace
 *    period outlasts SHUTDOWN_TIMEOUT_MS, each ScaledObject watches the consumer group and topic
 *    the service consumes, with at most as many replicas as that topic has partitions.
 * 4. docker-compose.yml: healthchecks, restart policies, and the `scaled` profile's brokers and
 *    Redis Cluster.
 * Each check is also shown rejecting a broken document.
 */
import 'reflect-metadata';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { PATH_METADATA } from '@nestjs/common/constants';
import * as kedaV1alpha1 from '@kubernetes-models/keda/keda.sh/v1alpha1';
import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import * as appsV1 from 'kubernetes-models/apps/v1';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import * as policyV1 from 'kubernetes-models/policy/v1';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import * as coreV1 from 'kubernetes-models/v1';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import * as ts from 'typescript';
import { parse, parseAllDocuments } from 'yaml';
import { CommonConfig, loadClassifierConfig, loadEngineConfig, loadOpsApiConfig, loadRouterConfig } from '@conmutador/config';
import { Topic, topicName } from '@conmutador/contracts';
import { HealthController } from '@conmutador/observability';

const root = resolve(__dirname, '..', '..');
const k8sDir = join(root, 'deploy', 'k8s');
const NAMESPACE = 'conmutador';

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}
type Of<T> = Manifest & Omit<T, 'metadata'>;

// ---------------------------------------------------------------------------------------------
// Rendering: the subset of kustomize these manifests use.

const KUSTOMIZATION_FIELDS = new Set(['apiVersion', 'kind', 'namespace', 'labels', 'images', 'resources', 'patches']);
const CLUSTER_SCOPED_KINDS = new Set(['Namespace']);

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  labels?: { pairs: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean }[];
  images?: { name: string; newName?: string; newTag?: string }[];
  resources?: string[];
  patches?: { path?: string; patch?: string; target?: { kind?: string; name?: string; labelSelector?: string } }[];
}

/** kubectl reads YAML 1.1: unquoted yes/no/on/off are booleans there, which a ConfigMap refuses. */
function readManifests(file: string): Manifest[] {
  return parseAllDocuments(readFileSync(file, 'utf8'), { version: '1.1' }).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`${relative(root, file)}: ${document.errors[0].message}`);
    const value = document.toJS() as Manifest | null;
    return value === null ? [] : [value];
  });
}

function isWithin(path: string, directory: string): boolean {
  return path === directory || path.startsWith(directory + sep);
}

/** `key=value`, `key!=value`, `key in (a,b)`, `key notin (a,b)`, `key`, `!key`, comma-separated. */
function matchesLabelSelector(labels: Record<string, string>, selector: string): boolean {
  const requirements = selector.match(/[^,(]+(\([^)]*\))?/g) ?? [];
  return requirements.every((raw) => {
    const requirement = raw.trim();
    const set = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(requirement);
    if (set) {
      const values = set[3].split(',').map((value) => value.trim());
      return set[2] === 'in' ? values.includes(labels[set[1]]) : !values.includes(labels[set[1]]);
    }
    const equality = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(requirement);
    if (equality) return equality[2] === '!=' ? labels[equality[1]] !== equality[3] : labels[equality[1]] === equality[3];
    if (requirement.startsWith('!')) return !(requirement.slice(1) in labels);
    return requirement in labels;
  });
}

function applyPatch(docs: Manifest[], entry: NonNullable<Kustomization['patches']>[number], directory: string): Manifest[] {
  const text = entry.patch ?? (entry.path === undefined ? undefined : readFileSync(resolve(directory, entry.path), 'utf8'));
  if (text === undefined) throw new Error(`${relative(root, directory)}: a patch needs patch or path`);
  const patch = parse(text, { version: '1.1' }) as Manifest & { $patch?: string };
  if (patch.$patch !== 'delete') throw new Error(`${relative(root, directory)}: only \`$patch: delete\` patches are rendered here`);
  const target = entry.target ?? { kind: patch.kind, name: patch.metadata.name };
  const selected = (doc: Manifest): boolean =>
    (target.kind === undefined || doc.kind === target.kind) &&
    (target.name === undefined || doc.metadata.name === target.name) &&
    (target.labelSelector === undefined || matchesLabelSelector(doc.metadata.labels ?? {}, target.labelSelector));
  if (!docs.some(selected)) throw new Error(`${relative(root, directory)}: a patch selects nothing (${JSON.stringify(target)})`);
  return docs.filter((doc) => !selected(doc));
}

function withImages(doc: Manifest, images: NonNullable<Kustomization['images']>): Manifest {
  const podSpec = (doc as Of<IDeployment>).spec?.template?.spec;
  for (const container of [...(podSpec?.containers ?? []), ...(podSpec?.initContainers ?? [])]) {
    const [, name, tag] = /^([^:@]+)(?::([^@]+))?/.exec(container.image ?? '') ?? [];
    const image = images.find((candidate) => candidate.name === name);
    if (image) container.image = `${image.newName ?? name}${(image.newTag ?? tag) ? `:${image.newTag ?? tag}` : ''}`;
  }
  return doc;
}

/** `kustomize build <directory>`, for the fields in KUSTOMIZATION_FIELDS. */
function render(directory: string, visited: string[] = []): Manifest[] {
  const kustomization = parse(readFileSync(join(directory, 'kustomization.yaml'), 'utf8'), { version: '1.1' }) as Kustomization;
  const where = relative(root, directory) || '.';
  if (kustomization.apiVersion !== 'kustomize.config.k8s.io/v1beta1' || kustomization.kind !== 'Kustomization') {
    throw new Error(`${where}: not a kustomize.config.k8s.io/v1beta1 Kustomization`);
  }
  const unsupported = Object.keys(kustomization).filter((field) => !KUSTOMIZATION_FIELDS.has(field));
  if (unsupported.length > 0) throw new Error(`${where}: ${unsupported.join(', ')} not rendered here`);

  let docs: Manifest[] = [];
  for (const entry of kustomization.resources ?? []) {
    const path = resolve(directory, entry);
    if (statSync(path).isDirectory()) {
      // kustomize refuses a base that contains a kustomization already being built (a cycle).
      const containing = [...visited, directory].find((ancestor) => isWithin(ancestor, path));
      if (containing) throw new Error(`${where}: cycle: ${entry} contains ${relative(root, containing)}`);
      docs.push(...render(path, [...visited, directory]));
    } else {
      // Files only from the kustomization's own directory tree (kustomize's load restrictor).
      if (!isWithin(path, directory)) throw new Error(`${where}: ${entry} is outside the kustomization's directory`);
      docs.push(...readManifests(path));
    }
  }
  // kustomize's order: patches, namespace, labels, images.
  for (const patch of kustomization.patches ?? []) docs = applyPatch(docs, patch, directory);
  docs = structuredClone(docs);
  for (const doc of docs) {
    if (kustomization.namespace && !CLUSTER_SCOPED_KINDS.has(doc.kind)) doc.metadata.namespace = kustomization.namespace;
    for (const { pairs, includeSelectors, includeTemplates } of kustomization.labels ?? []) {
      if (includeSelectors) throw new Error(`${where}: labels with includeSelectors are not rendered here`);
      doc.metadata.labels = { ...doc.metadata.labels, ...pairs };
      const template = (doc as Of<IDeployment>).spec?.template;
      if (includeTemplates && template) template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, ...pairs } };
    }
    if (kustomization.images) withImages(doc, kustomization.images);
  }
  const ids = docs.map((doc) => `${doc.kind}/${doc.metadata.namespace ?? ''}/${doc.metadata.name}`);
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate) throw new Error(`${where}: ${duplicate} is defined twice`);
  return docs;
}

// ---------------------------------------------------------------------------------------------
// Schemas: the JSON schemas (ajv, compiled into the model packages) and unknown fields (tsc).

const SCHEMA_MODULES: Record<string, { models: object; types: string }> = {
  v1: { models: coreV1, types: 'kubernetes-models/v1' },
  'apps/v1': { models: appsV1, types: 'kubernetes-models/apps/v1' },
  'policy/v1': { models: policyV1, types: 'kubernetes-models/policy/v1' },
  'keda.sh/v1alpha1': { models: kedaV1alpha1, types: '@kubernetes-models/keda/keda.sh/v1alpha1' },
};
type ModelClass = new (data: unknown) => { validate(): void };

function schemaProblems(doc: Manifest): string[] {
  const Model = (SCHEMA_MODULES[doc.apiVersion]?.models as Record<string, ModelClass | undefined> | undefined)?.[doc.kind];
  if (!Model) return [`no schema here for ${doc.apiVersion} ${doc.kind}`];
  try {
    new Model(structuredClone(doc)).validate();
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

const parsedDeclarations = new Map<string, ts.SourceFile>();
const STRICT_CHECK_FILE = join(__dirname, '__k8s_strict_fields__.ts');

/** Per document, what tsc says of it as a literal of its kind's interface: unknown fields, wrong types. */
function unknownFieldProblems(docs: Manifest[]): string[][] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    lib: ['lib.es5.d.ts'],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
  };
  const spans: { start: number; end: number }[] = [];
  let text = '';
  docs.forEach((doc, index) => {
    const types = SCHEMA_MODULES[doc.apiVersion]?.types;
    const start = text.length;
    text += types ? `export const d${index}: import('${types}/${doc.kind}').I${doc.kind} = ${JSON.stringify(doc, null, 1)};\n` : '\n';
    spans.push({ start, end: text.length });
  });
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    if (fileName === STRICT_CHECK_FILE) return ts.createSourceFile(fileName, text, languageVersion);
    let file = parsedDeclarations.get(fileName);
    if (!file) {
      file = getSourceFile(fileName, languageVersion, ...rest);
      if (file) parsedDeclarations.set(fileName, file);
    }
    return file;
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => fileName === STRICT_CHECK_FILE || fileExists(fileName);
  const program = ts.createProgram([STRICT_CHECK_FILE], options, host);
  const source = program.getSourceFile(STRICT_CHECK_FILE);
  const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
  return spans.map(({ start, end }) =>
    diagnostics
      .filter((diagnostic) => diagnostic.start !== undefined && diagnostic.start >= start && diagnostic.start < end)
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')),
  );
}

// ---------------------------------------------------------------------------------------------
// Rules tying the manifests to the code.

interface ServiceDefinition {
  load: (env: Record<string, string | undefined>) => CommonConfig;
  /** The topic its consumer group reads, and the variable of its partition count; none for the ops API. */
  source?: { topic: Topic; partitions: keyof CommonConfig['kafka']['partitions'] };
}

const SERVICES: Record<string, ServiceDefinition> = {
  classifier: { load: loadClassifierConfig, source: { topic: Topic.Inbound, partitions: 'inbound' } },
  router: { load: loadRouterConfig, source: { topic: Topic.Classified, partitions: 'classified' } },
  engine: { load: loadEngineConfig, source: { topic: Topic.Inbound, partitions: 'inbound' } },
  'ops-api': { load: loadOpsApiConfig },
};

/** The variables of docs/configuration.md's table (`KAFKA_PARTITIONS_INBOUND` / `_CLASSIFIED` spelt out). */
function documentedKeys(): Set<string> {
  const keys = new Set<string>();
  for (const line of readFileSync(join(root, 'docs', 'configuration.md'), 'utf8').split('\n')) {
    if (!line.startsWith('| `')) continue;
    let previous = '';
    for (const [, name] of line.split('|')[1].matchAll(/`([A-Z_][A-Z0-9_]*)`/g)) {
      const key = name.startsWith('_') ? previous.slice(0, previous.lastIndexOf('_')) + name : name;
      keys.add(key);
      previous = key;
    }
  }
  return keys;
}

/** The health controller's routes, from its Nest metadata. */
function healthPaths(): { live: string; ready: string } {
  const prefix = Reflect.getMetadata(PATH_METADATA, HealthController) as string;
  const route = (handler: object) => `/${prefix}/${Reflect.getMetadata(PATH_METADATA, handler) as string}`;
  return { live: route(HealthController.prototype.live), ready: route(HealthController.prototype.ready) };
}

interface Context {
  documented: Set<string>;
  health: { live: string; ready: string };
  /** The Secret the pods expect, as secret.example.yaml gives it (placeholders). */
  secret: Of<ISecret>;
}

function componentOf(doc: Manifest): string {
  return doc.metadata.labels?.['app.kubernetes.io/component'] ?? '';
}

function podSelects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  return selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

/** The container's environment as the kubelet builds it, and where each key came from. */
function containerEnv(container: IContainer, docs: Manifest[], context: Context, problems: string[], where: string) {
  const env: Record<string, string> = {};
  const sources = new Map<string, string>();
  const set = (key: string, value: string, source: string) => {
    if (sources.has(key)) problems.push(`${where}: ${key} is set by both ${sources.get(key)} and ${source}`);
    env[key] = value;
    sources.set(key, source);
  };
  for (const from of container.envFrom ?? []) {
    const name = from.configMapRef?.name;
    const configMap = docs.find((doc): doc is Of<IConfigMap> => doc.kind === 'ConfigMap' && doc.metadata.name === name);
    if (!configMap) problems.push(`${where}: envFrom names ConfigMap ${name}, which is not rendered`);
    for (const [key, value] of Object.entries(configMap?.data ?? {})) set(key, value, `ConfigMap ${name}`);
  }
  for (const variable of container.env ?? []) {
    const secretKey = variable.valueFrom?.secretKeyRef;
    if (secretKey) {
      const value = context.secret.stringData?.[secretKey.key];
      if (secretKey.name !== context.secret.metadata.name || value === undefined) {
        problems.push(`${where}: ${variable.name} refers to ${secretKey.name}/${secretKey.key}, which secret.example.yaml does not have`);
      }
      set(variable.name, value ?? '', `Secret ${secretKey.name}`);
    } else {
      set(variable.name, variable.value ?? '', 'env');
    }
  }
  return { env, sources };
}

/** Reads of the environment by a config loader: the variables that service actually reads. */
function loadRecordingReads(service: ServiceDefinition, env: Record<string, string>): { config?: CommonConfig; read: Set<string>; error?: string } {
  const read = new Set<string>();
  const recording = new Proxy(env, {
    get: (target, key) => {
      if (typeof key === 'string') read.add(key);
      return Reflect.get(target, key) as unknown;
    },
  });
  try {
    return { config: service.load(recording), read };
  } catch (error) {
    return { read, error: (error as Error).message };
  }
}

function ruleProblems(docs: Manifest[], context: Context): string[] {
  const problems: string[] = [];
  const deployments = docs.filter((doc): doc is Of<IDeployment> => doc.kind === 'Deployment');
  const scaledObjects = docs.filter((doc): doc is Of<IScaledObject> => doc.kind === 'ScaledObject');
  const configMapReaders = new Map<string, Set<string>>();

  for (const doc of docs) {
    if (!CLUSTER_SCOPED_KINDS.has(doc.kind) && doc.metadata.namespace !== NAMESPACE)
      problems.push(`${doc.kind} ${doc.metadata.name}: not in namespace ${NAMESPACE}`);
    if (doc.kind === 'Secret') problems.push(`Secret ${doc.metadata.name}: rendered, so placeholders would be applied`);
  }
  const components = deployments.map(componentOf);
  if (components.includes('engine') && (components.includes('classifier') || components.includes('router'))) {
    problems.push('the engine and the classifier/router are deployed together: each would route every arrival');
  }

  for (const deployment of deployments) {
    const component = componentOf(deployment);
    const where = `Deployment ${deployment.metadata.name}`;
    const service = SERVICES[component];
    const pod = deployment.spec?.template;
    const containers = pod?.spec?.containers ?? [];
    if (!service || !pod?.spec || containers.length !== 1) {
      problems.push(`${where}: expected one container of a known service (component label ${component})`);
      continue;
    }
    const container = containers[0];
    if (!podSelects(deployment.spec?.selector.matchLabels, pod.metadata?.labels)) problems.push(`${where}: its selector does not select its pods`);
    const command = container.command ?? [];
    if (command[0] !== 'node' || command.at(-1) !== `dist/apps/${component}/src/main.js`)
      problems.push(`${where}: does not run dist/apps/${component}/src/main.js`);
    if (!/^[^:@]+(:[^@]+|@sha256:.+)$/.test(container.image ?? '') || container.image?.endsWith(':latest'))
      problems.push(`${where}: image ${container.image} has no pinned tag`);

    // Configuration: every variable the service reads is set, and it loads.
    const { env, sources } = containerEnv(container, docs, context, problems, where);
    const { config, read, error } = loadRecordingReads(service, env);
    if (!config) {
      problems.push(`${where}: its configuration is refused: ${error}`);
      continue;
    }
    for (const key of read) if (!(key in env)) problems.push(`${where}: ${key} is read but not set (left to its default): add it to a ConfigMap`);
    for (const [key, source] of sources) {
      if (!context.documented.has(key)) problems.push(`${where}: ${key} (${source}) is not in docs/configuration.md`);
      if (source.startsWith('ConfigMap ')) {
        const readers = configMapReaders.get(source) ?? new Set<string>();
        configMapReaders.set(source, readers);
        if (read.has(key)) readers.add(key);
      }
    }

    // Probes on the health controller's paths, on the port the service listens on.
    const port = container.ports?.find((candidate) => candidate.containerPort === config.httpPort);
    if (!port?.name) problems.push(`${where}: no named container port for HTTP_PORT ${config.httpPort}`);
    if (config.httpHost !== '0.0.0.0') problems.push(`${where}: HTTP_HOST ${config.httpHost} is not reachable by the kubelet's probes`);
    const probes = { startupProbe: context.health.live, livenessProbe: context.health.live, readinessProbe: context.health.ready };
    for (const [probe, path] of Object.entries(probes) as [keyof typeof probes, string][]) {
      const httpGet = container[probe]?.httpGet;
      if (httpGet?.path !== path) problems.push(`${where}: ${probe} is not GET ${path} (got ${httpGet?.path})`);
      if (httpGet && httpGet.port !== port?.name && httpGet.port !== config.httpPort)
        problems.push(`${where}: ${probe} probes port ${httpGet.port}, not HTTP_PORT`);
    }

    // Graceful termination: the drain (SHUTDOWN_TIMEOUT_MS), after any preStop sleep, ends before SIGKILL.
    const preStop = container.lifecycle?.preStop?.exec?.command;
    const preStopMs = preStop?.[0] === 'sleep' ? Number(preStop[1]) * 1000 : 0;
    const graceMs = (pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
    if (!(graceMs > preStopMs + config.shutdownTimeoutMs)) {
      problems.push(
        `${where}: terminationGracePeriodSeconds ${graceMs / 1000} s is not longer than preStop + SHUTDOWN_TIMEOUT_MS (${(preStopMs + config.shutdownTimeoutMs) / 1000} s)`,
      );
    }

    // Non-root, read-only root filesystem, no privilege, bounded resources.
    const podSecurity = pod.spec.securityContext;
    const security = container.securityContext;
    if (podSecurity?.runAsNonRoot !== true || !podSecurity.runAsUser) problems.push(`${where}: not run as a numeric non-root user`);
    if (security?.readOnlyRootFilesystem !== true || security.allowPrivilegeEscalation !== false || !security.capabilities?.drop?.includes('ALL')) {
      problems.push(`${where}: the container's securityContext is not locked down`);
    }
    for (const bound of ['requests', 'limits'] as const) {
      if (!container.resources?.[bound]?.cpu || !container.resources[bound]?.memory) problems.push(`${where}: no cpu and memory ${bound}`);
    }

    // A Service and a PodDisruptionBudget for its pods.
    const services = docs.filter((doc): doc is Of<IService> => doc.kind === 'Service').filter((svc) => podSelects(svc.spec?.selector, pod.metadata?.labels));
    if (!services.some((svc) => svc.spec?.ports?.every((servicePort) => servicePort.targetPort === port?.name)))
      problems.push(`${where}: no Service to its HTTP port`);
    const budgets = docs
      .filter((doc): doc is Of<IPodDisruptionBudget> => doc.kind === 'PodDisruptionBudget')
      .filter((budget) => podSelects(budget.spec?.selector?.matchLabels, pod.metadata?.labels));
    if (budgets.length !== 1) problems.push(`${where}: ${budgets.length} PodDisruptionBudgets select its pods, not 1`);

    // Kafka consumers scale on their group's lag; the ops API does not consume a group.
    const scalers = scaledObjects.filter((scaledObject) => scaledObject.spec.scaleTargetRef.name === deployment.metadata.name);
    if (!service.source) {
      if (scalers.length > 0) problems.push(`${where}: scaled by KEDA, but it consumes no group`);
      continue;
    }
    if (scalers.length !== 1) {
      problems.push(`${where}: ${scalers.length} ScaledObjects target it, not 1`);
      continue;
    }
    if (deployment.spec?.replicas !== undefined) problems.push(`${where}: sets replicas, which a re-apply would reset under KEDA`);
    const { spec } = scalers[0];
    const scaler = `ScaledObject ${scalers[0].metadata.name}`;
    const partitions = config.kafka.partitions[service.source.partitions];
    const triggers = spec.triggers.filter((trigger) => trigger.type === 'kafka');
    if (triggers.length !== 1 || spec.triggers.length !== 1) problems.push(`${scaler}: not exactly one kafka trigger`);
    const metadata = triggers[0]?.metadata ?? {};
    const expected = {
      bootstrapServers: config.kafka.brokers.join(','),
      consumerGroup: config.kafka.consumerGroup,
      topic: topicName(service.source.topic, config.kafka.topicNamespace),
      allowIdleConsumers: 'false',
    };
    for (const [field, value] of Object.entries(expected)) {
      if (metadata[field] !== value) problems.push(`${scaler}: ${field} is ${metadata[field]}, the service's is ${value}`);
    }
    if (!/^[1-9]\d*$/.test(metadata.lagThreshold ?? '')) problems.push(`${scaler}: lagThreshold is not set to a positive integer`);
    if (spec.maxReplicaCount === undefined || spec.maxReplicaCount > partitions) {
      problems.push(`${scaler}: maxReplicaCount ${spec.maxReplicaCount} exceeds the ${partitions} partitions of ${expected.topic}`);
    }
    if (spec.minReplicaCount === undefined || spec.minReplicaCount < 1 || spec.minReplicaCount > (spec.maxReplicaCount ?? 0)) {
      problems.push(`${scaler}: minReplicaCount ${spec.minReplicaCount} is not between 1 and maxReplicaCount`);
    }
  }

  for (const scaledObject of scaledObjects) {
    if (!deployments.some((deployment) => deployment.metadata.name === scaledObject.spec.scaleTargetRef.name)) {
      problems.push(`ScaledObject ${scaledObject.metadata.name}: its target ${scaledObject.spec.scaleTargetRef.name} is not rendered`);
    }
  }
  // Every ConfigMap key is read by a service that loads it.
  for (const configMap of docs.filter((doc): doc is Of<IConfigMap> => doc.kind === 'ConfigMap')) {
    const source = `ConfigMap ${configMap.metadata.name}`;
    const readers = configMapReaders.get(source);
    if (!readers) problems.push(`${source}: no Deployment loads it`);
    for (const key of Object.keys(configMap.data ?? {})) {
      if (readers && !readers.has(key)) problems.push(`${source}: ${key} is read by none of the services that load it`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------

const base = render(join(k8sDir, 'base'));
const entry = render(k8sDir);
const engine = render(join(k8sDir, 'overlays', 'engine'));
const secretExample = readManifests(join(k8sDir, 'base', 'secret.example.yaml'));
const context: Context = { documented: documentedKeys(), health: healthPaths(), secret: secretExample[0] as Of<ISecret> };

const named = (docs: Manifest[], kind: string, name: string): Manifest => {
  const doc = docs.find((candidate) => candidate.kind === kind && candidate.metadata.name === name);
  if (!doc) throw new Error(`${kind} ${name} is not rendered`);
  return structuredClone(doc);
};
const replaced = (docs: Manifest[], doc: Manifest): Manifest[] =>
  docs.map((other) => (other.kind === doc.kind && other.metadata.name === doc.metadata.name ? doc : other));
const kindsAndNames = (docs: Manifest[]) => docs.map((doc) => `${doc.kind}/${doc.metadata.name}`).sort();

describe('Kubernetes manifests (deploy/k8s)', () => {
  it('render: the base is classifier + router + ops-api, the engine overlay swaps the first two for the engine', () => {
    const deployments = (docs: Manifest[]) => docs.filter((doc) => doc.kind === 'Deployment').map((doc) => doc.metadata.name);
    expect(deployments(base).sort()).toEqual(['classifier', 'ops-api', 'router']);
    expect(deployments(engine).sort()).toEqual(['engine', 'ops-api']);
    expect(engine.filter((doc) => ['classifier', 'router'].includes(componentOf(doc)))).toEqual([]);
    // deploy/k8s is the base, through its one-line kustomization.
    expect(entry).toEqual(base);
    expect(kindsAndNames(base)).toEqual(
      [
        'ConfigMap/classifier-env',
        'ConfigMap/conmutador-env',
        'ConfigMap/ops-api-env',
        'ConfigMap/router-env',
        'Deployment/classifier',
        'Deployment/ops-api',
        'Deployment/router',
        'Namespace/conmutador',
        'PodDisruptionBudget/classifier',
        'PodDisruptionBudget/ops-api',
        'PodDisruptionBudget/router',
        'ScaledObject/classifier',
        'ScaledObject/router',
        'Service/classifier',
        'Service/ops-api',
        'Service/router',
      ].sort(),
    );
  });

  it.each([
    ['base', base],
    ['overlays/engine', engine],
    ['secret.example.yaml', secretExample],
  ])('%s: every document is valid for its apiVersion/kind, with no unknown field', (_name, docs) => {
    expect(docs.length).toBeGreaterThan(0);
    const unknownFields = unknownFieldProblems(docs);
    const problems = docs.flatMap((doc, index) =>
      [...schemaProblems(doc), ...unknownFields[index]].map((problem) => `${doc.kind} ${doc.metadata.name}: ${problem}`),
    );
    expect(problems).toEqual([]);
  });

  it.each([
    ['base', base],
    ['overlays/engine', engine],
  ])('%s: configuration, probes, termination, security, Services, PDBs and KEDA agree with the code', (_name, docs) => {
    expect(ruleProblems(docs, context)).toEqual([]);
  });

  it('the Secret is an example only, never rendered, with the keys the pods take from it', () => {
    expect(base.concat(engine).filter((doc) => doc.kind === 'Secret')).toEqual([]);
    expect(context.secret.kind).toBe('Secret');
    expect(Object.keys(context.secret.stringData ?? {}).sort()).toEqual(['OPS_API_KEYS', 'REDIS_URL']);
    expect(Object.values(context.secret.stringData ?? {}).every((value) => value.includes('REPLACE-ME'))).toBe(true);
  });

  it('the probe paths are the health controller routes, and each scaled service has a partition per replica', () => {
    expect(context.health).toEqual({ live: '/health/live', ready: '/health/ready' });
    const maxReplicas = engine.concat(base).filter((doc): doc is Of<IScaledObject> => doc.kind === 'ScaledObject');
    expect(maxReplicas.map((doc) => [doc.metadata.name, doc.spec.minReplicaCount, doc.spec.maxReplicaCount])).toEqual([
      ['engine', 2, 6],
      ['classifier', 2, 6],
      ['router', 2, 6],
    ]);
  });

  describe('rejects broken manifests', () => {
    const deployment = named(base, 'Deployment', 'classifier') as Of<IDeployment>;
    const scaledObject = named(base, 'ScaledObject', 'classifier') as Of<IScaledObject>;

    it('a Deployment with a string replicas, by the Kubernetes schema', () => {
      const broken = { ...structuredClone(deployment), spec: { ...deployment.spec, replicas: '2' } } as unknown as Manifest;
      expect(schemaProblems(deployment)).toEqual([]);
      expect(schemaProblems(broken).join()).toMatch(/replicas must be integer/);
    });

    it('a misspelt field, which the schema alone lets through, by the strict field check', () => {
      const broken = structuredClone(deployment);
      const probe = broken.spec!.template.spec!.containers[0].readinessProbe!;
      (probe.httpGet as unknown as Record<string, unknown>).paht = probe.httpGet!.path;
      delete probe.httpGet!.path;
      expect(schemaProblems(broken)).toEqual([]);
      const [good, bad] = unknownFieldProblems([deployment, broken]);
      expect(good).toEqual([]);
      expect(bad.join()).toMatch(/'"paht"' does not exist/);
    });

    it('a ScaledObject with a misspelt field or a number where KEDA wants a string, by the KEDA CRD schema', () => {
      const misspelt = structuredClone(scaledObject) as unknown as { spec: Record<string, unknown> } & Manifest;
      misspelt.spec.maxReplicas = misspelt.spec.maxReplicaCount;
      delete misspelt.spec.maxReplicaCount;
      const numeric = structuredClone(scaledObject);
      (numeric.spec.triggers[0].metadata as Record<string, unknown>).lagThreshold = 1000;
      expect(unknownFieldProblems([misspelt])[0].join()).toMatch(/'"maxReplicas"' does not exist/);
      expect(schemaProblems(numeric).join()).toMatch(/lagThreshold must be string/);
    });

    it('a ScaledObject allowed more replicas than partitions, or idle consumers, or watching another group', () => {
      const tooMany = structuredClone(scaledObject);
      tooMany.spec.maxReplicaCount = 12;
      expect(schemaProblems(tooMany)).toEqual([]);
      expect(ruleProblems(replaced(base, tooMany), context)).toEqual([
        'ScaledObject classifier: maxReplicaCount 12 exceeds the 6 partitions of interactions.inbound',
      ]);
      const idle = structuredClone(scaledObject);
      idle.spec.triggers[0].metadata.allowIdleConsumers = 'true';
      idle.spec.triggers[0].metadata.consumerGroup = 'conmutador-router';
      expect(ruleProblems(replaced(base, idle), context)).toEqual([
        "ScaledObject classifier: consumerGroup is conmutador-router, the service's is conmutador-classifier",
        "ScaledObject classifier: allowIdleConsumers is true, the service's is false",
      ]);
      const toZero = structuredClone(scaledObject);
      toZero.spec.minReplicaCount = 0;
      expect(ruleProblems(replaced(base, toZero), context)).toEqual(['ScaledObject classifier: minReplicaCount 0 is not between 1 and maxReplicaCount']);
    });

    it('a grace period within the drain timeout, a probe on a path that does not exist, an unknown ConfigMap key', () => {
      const hasty = structuredClone(deployment);
      hasty.spec!.template.spec!.terminationGracePeriodSeconds = 30;
      const wrongProbe = structuredClone(deployment);
      wrongProbe.spec!.template.spec!.containers[0].livenessProbe!.httpGet!.path = '/healthz';
      const config = named(base, 'ConfigMap', 'conmutador-env') as Of<IConfigMap>;
      config.data = { ...config.data, KAFKA_BROKER: 'kafka:9092' };
      expect(ruleProblems(replaced(base, hasty), context)).toEqual([
        'Deployment classifier: terminationGracePeriodSeconds 30 s is not longer than preStop + SHUTDOWN_TIMEOUT_MS (30 s)',
      ]);
      expect(ruleProblems(replaced(base, wrongProbe), context)).toEqual(['Deployment classifier: livenessProbe is not GET /health/live (got /healthz)']);
      expect(ruleProblems(replaced(base, config), context)).toEqual([
        'Deployment classifier: KAFKA_BROKER (ConfigMap conmutador-env) is not in docs/configuration.md',
        'Deployment router: KAFKA_BROKER (ConfigMap conmutador-env) is not in docs/configuration.md',
        'Deployment ops-api: KAFKA_BROKER (ConfigMap conmutador-env) is not in docs/configuration.md',
        'ConfigMap conmutador-env: KAFKA_BROKER is read by none of the services that load it',
      ]);
    });

    it('the engine deployed beside the classifier and the router, and a variable left to its default', () => {
      const both = [...base, named(engine, 'Deployment', 'engine'), named(engine, 'ConfigMap', 'engine-env')];
      expect(ruleProblems(both, context)).toContain('the engine and the classifier/router are deployed together: each would route every arrival');
      const config = named(base, 'ConfigMap', 'router-env') as Of<IConfigMap>;
      delete config.data!.KAFKA_CONSUMER_GROUP;
      expect(ruleProblems(replaced(base, config), context)).toContain(
        'Deployment router: KAFKA_CONSUMER_GROUP is read but not set (left to its default): add it to a ConfigMap',
      );
    });

    it('kustomization fields this renderer does not implement, and a base that contains its overlay', () => {
      const directory = mkdtempSync(join(tmpdir(), 'k8s-render-'));
      try {
        writeFileSync(join(directory, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\ncommonLabels: { a: b }\n');
        expect(() => render(directory)).toThrow(/commonLabels not rendered here/);
        const overlay = join(directory, 'overlay');
        writeFileSync(join(directory, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n');
        mkdirSync(overlay);
        writeFileSync(join(overlay, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [..]\n');
        expect(() => render(overlay)).toThrow(/cycle/);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------
// docker-compose.yml (no Docker engine here: the file is read and checked as data).

interface ComposeService {
  image?: string;
  build?: unknown;
  profiles?: string[];
  restart?: string;
  command?: string[] | string;
  entrypoint?: string[] | string;
  environment?: Record<string, string>;
  healthcheck?: { test?: string[] | string };
  depends_on?: Record<string, { condition?: string }>;
  ports?: string[];
}
type Compose = { services: Record<string, ComposeService> };

const words = (value: string[] | string | undefined): string => (Array.isArray(value) ? value.join(' ') : (value ?? ''));
/** `${NAME:-default}` as compose interpolates it with NAME unset. */
const interpolated = (value: string): string => value.replace(/\$\{\w+:-([^}]*)\}/g, '$1');
const hostPorts = (list: string | undefined): { host: string; port: string }[] =>
  (list ?? '').split(',').flatMap((entry) => (entry ? [{ host: entry.slice(0, entry.lastIndexOf(':')), port: entry.slice(entry.lastIndexOf(':') + 1) }] : []));

function composeProblems(compose: Compose): string[] {
  const problems: string[] = [];
  const { services } = compose;
  const inScaled = (service: ComposeService) => service.profiles?.includes('scaled') ?? false;
  const isOneShot = (service: ComposeService) => service.restart === 'no';
  const brokers = (scaled: boolean) =>
    Object.keys(services).filter((name) => services[name].image?.startsWith('apache/kafka') && inScaled(services[name]) === scaled);
  const clusterNodes = Object.keys(services).filter((name) => /--cluster-enabled yes/.test(words(services[name].command)));
  const published = new Map<string, string>();

  for (const [name, service] of Object.entries(services)) {
    const env = service.environment ?? {};
    if (isOneShot(service)) {
      const awaited = Object.values(services).some((other) => other.depends_on?.[name]?.condition === 'service_completed_successfully');
      if (!awaited) problems.push(`${name}: a one-shot nobody waits for (service_completed_successfully)`);
    } else {
      if (service.restart !== 'unless-stopped') problems.push(`${name}: restart is ${service.restart}, not unless-stopped`);
      if (!service.healthcheck?.test?.length) problems.push(`${name}: no healthcheck`);
    }
    for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
      const other = services[dependency];
      if (!other) {
        problems.push(`${name}: depends on ${dependency}, which does not exist`);
        continue;
      }
      if (other.profiles && !(service.profiles ?? ['']).every((profile) => other.profiles?.includes(profile)))
        problems.push(`${name}: depends on ${dependency}, of another profile`);
      if (condition === 'service_healthy' && !other.healthcheck?.test?.length)
        problems.push(`${name}: waits for ${dependency} to be healthy, which has no healthcheck`);
      if (condition === 'service_completed_successfully' && !isOneShot(other))
        problems.push(`${name}: waits for ${dependency} to complete, which is not a one-shot`);
    }
    for (const port of service.ports ?? []) {
      const host = port.split(':').slice(0, -1).join(':');
      if (published.has(host)) problems.push(`${name}: publishes ${host}, as ${published.get(host)} does`);
      published.set(host, name);
    }
    if (service.image?.startsWith('redis') && !isOneShot(service) && !/redis-cli ping/.test(words(service.healthcheck?.test)))
      problems.push(`${name}: its healthcheck is not redis-cli ping`);

    // The services: ready means GET /health/ready on their HTTP_PORT; their environment loads.
    const app = /dist\/apps\/([a-z-]+)\/src\/main\.js/.exec(words(service.command))?.[1];
    if (app) {
      const loaded = loadRecordingReads(SERVICES[app], Object.fromEntries(Object.entries(env).map(([key, value]) => [key, interpolated(String(value))])));
      if (!loaded.config) problems.push(`${name}: its environment is refused: ${loaded.error}`);
      else if (loaded.config.httpHost !== '0.0.0.0') problems.push(`${name}: HTTP_HOST is not 0.0.0.0`);
      const check = words(service.healthcheck?.test);
      if (!check.includes(context.health.ready) || !(check.includes('process.env.HTTP_PORT') || check.includes(`:${env.HTTP_PORT}/`))) {
        problems.push(`${name}: its healthcheck does not GET ${context.health.ready} on its HTTP_PORT`);
      }
      // Broker and Redis addresses are services of the same deployment.
      const listed = hostPorts(env.KAFKA_BROKERS);
      for (const { host, port } of listed) {
        if (
          !brokers(inScaled(service)).includes(host) ||
          !(services[host].environment?.KAFKA_ADVERTISED_LISTENERS ?? '').includes(`PLAINTEXT://${host}:${port}`)
        ) {
          problems.push(`${name}: KAFKA_BROKERS names ${host}:${port}, not a broker of its deployment`);
        }
      }
      if (!brokers(inScaled(service)).every((broker) => listed.some(({ host }) => host === broker)))
        problems.push(`${name}: KAFKA_BROKERS does not list every broker`);
      if (env.REDIS_URL) {
        const { hostname, port } = new URL(env.REDIS_URL);
        if (!services[hostname]?.image?.startsWith('redis') || inScaled(services[hostname]) !== inScaled(service) || (port || '6379') !== '6379') {
          problems.push(`${name}: REDIS_URL names ${hostname}, not a Redis of its deployment`);
        }
      }
      const nodes = hostPorts(env.REDIS_CLUSTER_NODES);
      for (const { host, port } of nodes)
        if (!clusterNodes.includes(host) || port !== '6379') problems.push(`${name}: REDIS_CLUSTER_NODES names ${host}:${port}, not a cluster node`);
      if (inScaled(service)) {
        if (!clusterNodes.every((node) => nodes.some(({ host }) => host === node)))
          problems.push(`${name}: REDIS_CLUSTER_NODES does not list every cluster node`);
        if (env.REDIS_URL) problems.push(`${name}: the scaled deployment uses the Redis Cluster, not REDIS_URL`);
        if (env.KAFKA_REPLICATION_FACTOR !== '3') problems.push(`${name}: topics it creates would not have 3 replicas`);
      }
    }
  }

  // The scaled profile: three KRaft brokers in combined mode, a quorum of the three.
  const scaledBrokers = brokers(true);
  const voters = scaledBrokers.map((name) => `${services[name].environment?.KAFKA_NODE_ID}@${name}:9093`).sort();
  if (voters.length !== 3 || voters.map((voter) => voter.split('@')[0]).join() !== '1,2,3')
    problems.push(`scaled: brokers are ${voters.join(', ')}, not node ids 1..3`);
  for (const name of scaledBrokers) {
    const env = services[name].environment ?? {};
    const expected: Record<string, string> = {
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_CONTROLLER_QUORUM_VOTERS: voters.join(','),
      CLUSTER_ID: services[scaledBrokers[0]].environment?.CLUSTER_ID ?? '',
      KAFKA_DEFAULT_REPLICATION_FACTOR: '3',
      KAFKA_MIN_INSYNC_REPLICAS: '2',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '3',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '3',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '2',
    };
    for (const [key, value] of Object.entries(expected)) if (env[key] !== value) problems.push(`${name}: ${key} is ${env[key]}, not ${value}`);
    if (!/^[A-Za-z0-9_-]{22}$/.test(env.CLUSTER_ID ?? '')) problems.push(`${name}: CLUSTER_ID is not a base64 UUID`);
  }
  // Six cluster nodes, and a one-shot that forms three primaries with a replica each from them.
  if (clusterNodes.length !== 6 || !clusterNodes.every((name) => inScaled(services[name]) && services[name].image === 'redis:7-alpine')) {
    problems.push(`scaled: ${clusterNodes.length} redis:7-alpine cluster nodes, not 6`);
  }
  const init = Object.entries(services).find(([, service]) => /--cluster create/.test(words(service.command)));
  const script = words(init?.[1].command);
  if (
    !init ||
    !isOneShot(init[1]) ||
    !/--cluster-replicas 1/.test(script) ||
    !/--cluster-yes/.test(script) ||
    !clusterNodes.every((node) => script.includes(node))
  ) {
    problems.push('scaled: no one-shot `redis-cli --cluster create` of every node with --cluster-replicas 1 --cluster-yes');
  }
  return problems;
}

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as Compose;

  it('has healthchecks and restart policies, waits on health, and its scaled profile is three KRaft brokers and a six-node Redis Cluster', () => {
    expect(composeProblems(compose)).toEqual([]);
    const scaled = Object.keys(compose.services).filter((name) => compose.services[name].profiles?.includes('scaled'));
    expect(scaled.filter((name) => !compose.services[name].healthcheck)).toEqual(['redis-cluster-init']);
    expect(scaled.filter((name) => /dist\/apps/.test(words(compose.services[name].command))).sort()).toEqual([
      'classifier-scaled',
      'ops-api-scaled',
      'router-scaled',
    ]);
  });

  it('rejects missing healthchecks and restart policies, addresses of no broker or node, a duplicate node id, an incomplete cluster create', () => {
    const broken = structuredClone(compose);
    delete broken.services['router-scaled'].healthcheck;
    broken.services['classifier-scaled'].environment!.KAFKA_BROKERS = 'kafka-1:9092,kafka-2:9092,kafka:9092';
    broken.services['kafka-3'].environment!.KAFKA_NODE_ID = '2';
    broken.services['router'].depends_on!.redis.condition = 'service_healthy';
    delete broken.services['redis'].healthcheck;
    delete broken.services['kafka'].restart;
    broken.services['ops-api-scaled'].environment!.REDIS_CLUSTER_NODES = 'redis-node-1:6379,redis:6379';
    broken.services['redis-cluster-init'].command = ['redis-cli --cluster create $$nodes --cluster-replicas 1'];
    expect(composeProblems(broken)).toEqual(
      expect.arrayContaining([
        'kafka: restart is undefined, not unless-stopped',
        'redis: no healthcheck',
        'router: waits for redis to be healthy, which has no healthcheck',
        'classifier-scaled: KAFKA_BROKERS names kafka:9092, not a broker of its deployment',
        'classifier-scaled: KAFKA_BROKERS does not list every broker',
        'router-scaled: no healthcheck',
        'ops-api-scaled: REDIS_CLUSTER_NODES names redis:6379, not a cluster node',
        'ops-api-scaled: REDIS_CLUSTER_NODES does not list every cluster node',
        'scaled: brokers are 1@kafka-1:9093, 2@kafka-2:9093, 2@kafka-3:9093, not node ids 1..3',
        'scaled: no one-shot `redis-cli --cluster create` of every node with --cluster-replicas 1 --cluster-yes',
      ]),
    );
  });
});

/**
 * Node options of the pipeline's processes (classifier, router, engine) as they are deployed
 * (tools/start.mjs, package.json, docker-compose, the image): their garbage collector on the main
 * thread, since its helper threads would only take CPU from the other processes sharing the cores
 * (bench/README.md, changes 9 and 15). The bench and the integration tests start them with these.
 */
export const PIPELINE_NODE_ARGS: readonly string[] = ['--single-threaded-gc'];

import { ServiceProcess } from './service-process';

// Integration tests wait on real brokers; their own deadlines (expectEventually) fail first.
jest.setTimeout(240_000);

// A test that fails half-way must not leave services running into the next file.
afterAll(async () => {
  await ServiceProcess.killAll();
});

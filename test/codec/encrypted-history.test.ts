import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, WorkflowFailedError } from '@temporalio/client';
import type { ApplicationFailure, Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { encryptedDataConverter, PayloadEncryptionCodec } from '../../infra/payload-codec';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../worker/workflow-bundle';
import { connectTestStack, type ConnectedTestStack } from '../helpers/stack';
import { startCodecServer, type RunningCodecServer } from './codec-server';
import type { secretEchoWorkflow, secretFailureWorkflow } from './secret-echo-workflow';

const ADMIN_TOKEN = 'test-admin-token-0123456789';
type History = temporal.api.workflowservice.v1.IGetWorkflowExecutionHistoryResponse;

const asJson = (payload: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([key, value]) => [
      key,
      Buffer.from(value).toString('base64'),
    ]),
  ),
  data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
});

function historyBytes(history: History): Buffer {
  return Buffer.from(
    temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse.encode(history).finish(),
  );
}

function inputAndResult(history: History): Payload[] {
  const events = history.history?.events ?? [];
  const started = events.find((event) => event.workflowExecutionStartedEventAttributes);
  const completed = events.find((event) => event.workflowExecutionCompletedEventAttributes);
  return [
    ...(started?.workflowExecutionStartedEventAttributes?.input?.payloads ?? []),
    ...(completed?.workflowExecutionCompletedEventAttributes?.result?.payloads ?? []),
  ];
}

const encodingOf = (payload: Payload) =>
  Buffer.from(payload.metadata?.encoding ?? new Uint8Array()).toString();

/** What Temporal stores when the worker and the client encrypt, and how an operator reads it back. */
describe('encrypted payloads on the Temporal dev server', () => {
  let stack: ConnectedTestStack;
  let worker: Worker;
  let workerRun: Promise<void>;
  let encryptingClient: Client;
  let codecServer: RunningCodecServer;
  let taskQueue: string;

  beforeAll(async () => {
    stack = await connectTestStack();
    taskQueue = stack.uniqueTaskQueue('codec');
    const codec = new PayloadEncryptionCodec([randomBytes(32).toString('base64')]);
    const bundle = await bundleWorkflowCode({
      ...WORKFLOW_BUNDLE_OPTIONS,
      workflowsPath: path.join(__dirname, 'secret-echo-workflow.ts'),
      logger: new DefaultLogger('WARN'),
    });
    worker = await Worker.create({
      connection: stack.nativeConnection,
      namespace: 'default',
      taskQueue,
      workflowBundle: bundle,
      dataConverter: encryptedDataConverter(codec),
    });
    workerRun = worker.run();
    encryptingClient = new Client({
      connection: stack.client.connection,
      dataConverter: encryptedDataConverter(codec),
    });
    codecServer = await startCodecServer({
      codec,
      adminToken: ADMIN_TOKEN,
      codecToken: 'test-codec-token-0123456789',
      temporalUiUrl: 'http://127.0.0.1:8233',
    });
  }, 120_000);

  afterAll(async () => {
    worker?.shutdown();
    await workerRun;
    await codecServer?.close();
    await stack?.close();
  });

  const rawHistory = (workflowId: string) =>
    stack.client.workflowService.getWorkflowExecutionHistory({
      namespace: 'default',
      execution: { workflowId },
    });

  const decodeOverHttp = (payloads: Payload[], headers: Record<string, string>) =>
    fetch(`${codecServer.baseUrl}/v1/codec/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ payloads: payloads.map(asJson) }),
    });

  it('keeps the secret out of the stored history, and the codec endpoint reads it back for operators', async () => {
    const secret = `vpn-secret-${randomUUID()}`;
    const workflowId = `codec-${randomUUID()}`;
    const result = await encryptingClient.workflow.execute<typeof secretEchoWorkflow>('secretEchoWorkflow', {
      taskQueue,
      workflowId,
      args: [{ secret }],
    });
    expect(result).toEqual({ echoed: `echo:${secret}` });

    const history = await rawHistory(workflowId);
    const stored = inputAndResult(history);
    expect(stored.map(encodingOf)).toEqual(['binary/encrypted', 'binary/encrypted']);
    const bytes = historyBytes(history);
    expect(bytes.includes(secret)).toBe(false);
    expect(bytes.includes(secret.slice(-12))).toBe(false);
    expect(bytes.includes('json/plain')).toBe(false);

    const decoded = await decodeOverHttp(stored, { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(decoded.status).toBe(200);
    const body = (await decoded.json()) as { payloads: { metadata: { encoding: string }; data: string }[] };
    expect(
      body.payloads.map((payload) => Buffer.from(payload.metadata.encoding, 'base64').toString()),
    ).toEqual(['json/plain', 'json/plain']);
    expect(
      body.payloads.map((payload) => JSON.parse(Buffer.from(payload.data, 'base64').toString())),
    ).toEqual([{ secret }, { echoed: `echo:${secret}` }]);

    const refused = await decodeOverHttp(stored, {});
    expect(refused.status).toBe(401);
    expect(await refused.text()).not.toContain(secret);
  });

  it('refuses a workflow started without encryption, and records the refusal encrypted', async () => {
    const secret = `plain-secret-${randomUUID()}`;
    const workflowId = `codec-plain-${randomUUID()}`;
    // A client without the codec: whoever reaches Temporal but holds no payload key.
    const plainClient = new Client({ connection: stack.client.connection });
    await plainClient.workflow.start<typeof secretEchoWorkflow>('secretEchoWorkflow', {
      taskQueue,
      workflowId,
      args: [{ secret }],
    });
    const outcome = await encryptingClient.workflow
      .getHandle<typeof secretEchoWorkflow>(workflowId)
      .result()
      .catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(WorkflowFailedError);
    const cause = (outcome as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('UnencryptedPayload');
    expect(cause.message).toContain('json/plain');

    const history = await rawHistory(workflowId);
    const failed = history.history?.events?.find((event) => event.workflowExecutionFailedEventAttributes);
    expect(failed?.workflowExecutionFailedEventAttributes?.failure?.message).toBe('Encoded failure');
    expect(historyBytes(history).includes('UnencryptedPayload')).toBe(true);
    expect(historyBytes(history).includes('not encrypted')).toBe(false);
  });

  it('keeps failure messages and stack traces out of the stored history', async () => {
    const secret = `failure-secret-${randomUUID()}`;
    const workflowId = `codec-failure-${randomUUID()}`;
    const outcome = await encryptingClient.workflow
      .execute<typeof secretFailureWorkflow>('secretFailureWorkflow', {
        taskQueue,
        workflowId,
        args: [{ secret }],
      })
      .catch((error: unknown) => error);
    expect(((outcome as WorkflowFailedError).cause as ApplicationFailure).message).toContain(secret);
    const bytes = historyBytes(await rawHistory(workflowId));
    expect(bytes.includes(secret)).toBe(false);
    expect(bytes.includes('router refused')).toBe(false);
  });
});

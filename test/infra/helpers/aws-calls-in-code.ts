import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/** IAM service prefix of each AWS SDK client package whose operation names are also its IAM action names. */
const IAM_PREFIXES: Readonly<Record<string, string>> = {
  '@aws-sdk/client-cloudformation': 'cloudformation',
  '@aws-sdk/client-dynamodb': 'dynamodb',
  '@aws-sdk/client-kms': 'kms',
  '@aws-sdk/client-secrets-manager': 'secretsmanager',
  '@aws-sdk/client-sqs': 'sqs',
};

/** The DynamoDB operation behind each `@aws-sdk/lib-dynamodb` document command (`Get` sends GetItem…). */
const DOCUMENT_CLIENT_OPERATIONS: Readonly<Record<string, string>> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  Query: 'Query',
  Scan: 'Scan',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactGet: 'TransactGetItems',
  TransactWrite: 'TransactWriteItems',
};

/** SDK functions and methods that send nothing by themselves. */
const SENDS_NOTHING = new Set(['send', 'destroy', 'from']);

export interface AwsCallScan {
  readonly projectRoot: string;
  /** Folders (relative to the project) whose every file is read. */
  readonly roots: readonly string[];
  /** Folders never followed into: code that only ever talks to local stand-ins. */
  readonly skip: readonly string[];
}

/**
 * The IAM actions of every AWS SDK call the code under `roots` can make, found by reading it: each
 * `new <Operation>Command(…)` and `paginate<Operation>(…)` imported from an AWS SDK package, in those files and in
 * every function, method and constructor of the project they call, transitively (calls resolved by the TypeScript
 * checker, so a store's other methods do not count). An SDK call it cannot translate into an action, or a call it
 * cannot follow (through an interface declared outside `roots`), throws rather than being left out.
 */
export function awsActionsCalledBy({ projectRoot, roots, skip }: AwsCallScan): string[] {
  const rootFiles = roots.flatMap((root) => typeScriptFilesUnder(path.join(projectRoot, root)));
  const { config } = ts.readConfigFile(path.join(projectRoot, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, projectRoot);
  const program = ts.createProgram(rootFiles, { ...options, noEmit: true });
  const checker = program.getTypeChecker();
  const under = (folders: readonly string[], node: ts.Node) =>
    folders.some((folder) => node.getSourceFile().fileName.startsWith(`${path.join(projectRoot, folder)}/`));
  const isProjectCode = (node: ts.Node) => {
    const file = node.getSourceFile().fileName;
    return file.startsWith(`${projectRoot}/`) && !file.includes('/node_modules/');
  };

  const actions = new Set<string>();
  const visited = new Set<ts.Node>();
  const pending: ts.Node[] = rootFiles.map((file) => program.getSourceFile(file) as ts.SourceFile);
  const where = (node: ts.Node) => {
    const file = node.getSourceFile();
    const { line } = file.getLineAndCharacterOfPosition(node.getStart());
    return `${path.relative(projectRoot, file.fileName)}:${line + 1}`;
  };

  const onCall = (call: ts.CallExpression | ts.NewExpression) => {
    const callee = ts.isPropertyAccessExpression(call.expression) ? call.expression.name : call.expression;
    let symbol = checker.getSymbolAtLocation(callee);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const declaration = symbol?.declarations?.[0];
    const sdkPackage = declaration && /\/node_modules\/(@aws-sdk\/[^/]+)\//.exec(declaration.getSourceFile().fileName);
    if (symbol && sdkPackage) {
      const action = actionOf(sdkPackage[1], symbol.name, ts.isNewExpression(call));
      if (action === undefined) throw new Error(`${where(call)}: cannot tell which AWS action ${symbol.name} sends`);
      if (action) actions.add(action);
      return;
    }
    const target = checker.getResolvedSignature(call)?.declaration;
    if (target && !ts.isJSDocSignature(target) && isProjectCode(target) && !under(skip, target)) {
      const hasBody = 'body' in target && target.body !== undefined;
      if (!hasBody && !under(roots, target)) {
        throw new Error(`${where(call)}: calls ${symbol?.name} through an interface, cannot tell what runs`);
      }
      pending.push(target);
    } else if (!target && declaration && ts.isClassDeclaration(declaration) && isProjectCode(declaration)) {
      // `new` of a class without a constructor: its field initializers run.
      pending.push(...declaration.members.filter(ts.isPropertyDeclaration));
    }
  };

  while (pending.length > 0) {
    const node = pending.pop() as ts.Node;
    if (visited.has(node)) continue;
    visited.add(node);
    const visit = (child: ts.Node): void => {
      if (ts.isCallExpression(child) || ts.isNewExpression(child)) onCall(child);
      ts.forEachChild(child, visit);
    };
    visit(node);
  }
  return [...actions].sort();
}

/** `secretsmanager:CreateSecret` for `new CreateSecretCommand`; null for a call that sends nothing by itself. */
function actionOf(sdkPackage: string, name: string, isNew: boolean): string | null | undefined {
  const operation = isNew ? /^(\w+)Command$/.exec(name)?.[1] : /^paginate(\w+)$/.exec(name)?.[1];
  if (operation === undefined) return SENDS_NOTHING.has(name) || (isNew && name.endsWith('Client')) ? null : undefined;
  if (sdkPackage === '@aws-sdk/lib-dynamodb') {
    const dynamoDbOperation = DOCUMENT_CLIENT_OPERATIONS[operation];
    return dynamoDbOperation && `dynamodb:${dynamoDbOperation}`;
  }
  const prefix = IAM_PREFIXES[sdkPackage];
  return prefix && `${prefix}:${operation}`;
}

function typeScriptFilesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const entryPath = path.join(folder, entry.name);
    if (entry.isDirectory()) return typeScriptFilesUnder(entryPath);
    return entry.name.endsWith('.ts') ? [entryPath] : [];
  });
}

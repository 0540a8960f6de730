// What one GraphQL request may cost: GraphQL Armor bounds tokens, depth, aliases and its
// field cost while the query is parsed and validated; hookd adds an estimate of the answer's
// size that counts paged lists (perPage, with the request's variables) and a cap on the
// answer's bytes (HOOKD_MAX_ANSWER_BYTES). Over a limit is a 400 with extensions.code
// QUERY_TOO_COMPLEX, refused before any resolver runs — the byte cap while the listings'
// rows are read (each request gets an AnswerBudget in its context), and once more on the
// finished answer for what is not read in pages (webhooks, cron jobs, one record).
import { costLimitPlugin } from "@escape.tech/graphql-armor-cost-limit";
import { maxAliasesPlugin } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthPlugin } from "@escape.tech/graphql-armor-max-depth";
import { maxTokensPlugin } from "@escape.tech/graphql-armor-max-tokens";
import { GraphQLError, type ExecutionResult, type GraphQLSchema } from "graphql";
import type { Plugin } from "graphql-yoga";
import { AnswerBudget } from "../lib/answer_budget";
import { estimateAnswerValues, pagedFieldNames } from "./answer_estimate";
import type { GraphQLContext } from "./builder";

/** QUERY_LIMITS are the documented bounds of one GraphQL request (docs/security.md). */
export const QUERY_LIMITS = {
  tokens: 2_000,
  depth: 10,
  aliases: 20,
  cost: 5_000,
  answerValues: 20_000,
} as const;

/** tooComplex is the one error of an over-limit request: a 400 with extensions.code QUERY_TOO_COMPLEX. */
export function tooComplex(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: "QUERY_TOO_COMPLEX", status: 400, data: {}, http: { status: 400 } },
  });
}

// Armor's own errors carry no code; each rejection is replaced by ours, thrown where Armor would throw.
const rejectWith = (what: string) => ({
  propagateOnRejection: false,
  onReject: [
    (_ctx: unknown, err: GraphQLError) => {
      throw tooComplex(`${what}: ${err.message.replace(/^Syntax Error: /, "")}`);
    },
  ],
});

/** queryLimitPlugins are yoga's plugins that enforce QUERY_LIMITS and the answer byte cap for the schema. */
export function queryLimitPlugins(schema: GraphQLSchema, maxAnswerBytes: number): Plugin[] {
  const pagedFields = pagedFieldNames(schema);
  return [
    maxTokensPlugin({ n: QUERY_LIMITS.tokens, ...rejectWith("too many tokens") }),
    maxDepthPlugin({ n: QUERY_LIMITS.depth, ...rejectWith("nested too deep") }),
    maxAliasesPlugin({ n: QUERY_LIMITS.aliases, ...rejectWith("too many aliases") }),
    costLimitPlugin({ maxCost: QUERY_LIMITS.cost, ...rejectWith("too costly") }),
    answerSizePlugin(pagedFields, maxAnswerBytes),
    introspectionDepthIsTooComplex(),
    tooComplexIsA400(),
  ] as Plugin[];
}

// Introspection is exempt from Armor's depth limit, but graphql-js has its own rule for it
// (MaxIntrospectionDepthRule: `fields`/`interfaces`/`possibleTypes` nested more than three
// deep), whose error yoga answers as a 200 GRAPHQL_VALIDATION_FAILED; it is the same kind of
// refusal as every other depth limit, so it is answered the same way.
const INTROSPECTION_TOO_DEEP = "Maximum introspection depth exceeded";

function introspectionDepthIsTooComplex(): Plugin {
  return {
    onValidate() {
      return ({ result, setResult }) => {
        if (result.some((e) => e.message === INTROSPECTION_TOO_DEEP))
          setResult([
            tooComplex("nested too deep: introspection nests fields, interfaces or possibleTypes past 3 levels"),
          ]);
      };
    },
  };
}

// yoga marks every parse error (the token limit is checked while parsing) as a GraphQL-over-HTTP
// request error, answered 200 to application/json clients; an over-limit query is a 400 for all.
function tooComplexIsA400(): Plugin {
  return {
    onResultProcess({ result }) {
      if (Array.isArray(result) || Symbol.asyncIterator in result) return;
      for (const error of (result as ExecutionResult).errors ?? []) {
        const http =
          error.extensions.code === "QUERY_TOO_COMPLEX"
            ? (error.extensions.http as { spec?: boolean } | undefined)
            : undefined;
        if (http) delete http.spec;
      }
    },
  };
}

function answerSizePlugin(pagedFields: ReadonlySet<string>, maxAnswerBytes: number): Plugin<Partial<GraphQLContext>> {
  return {
    onContextBuilding({ extendContext }) {
      extendContext({ answer: new AnswerBudget(maxAnswerBytes) });
    },
    onExecute({ args, setResultAndStopExecution }) {
      const values = estimateAnswerValues(args.document, args.operationName, args.variableValues, pagedFields);
      if (values > QUERY_LIMITS.answerValues) {
        setResultAndStopExecution({
          errors: [
            tooComplex(
              `the answer could hold ${values} values (fields × perPage of the lists they are in), over the limit of ${QUERY_LIMITS.answerValues}; ask for smaller pages, fewer fields or fewer aliases`,
            ),
          ],
        });
        return;
      }
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result) return;
          const over = args.contextValue.answer?.exceeded
            ? `the answer grew past ${maxAnswerBytes} bytes (HOOKD_MAX_ANSWER_BYTES) while its rows were read`
            : answerBytesOver(result as ExecutionResult, maxAnswerBytes);
          if (over) setResult({ errors: [tooComplex(`${over}; ask for smaller pages or fewer fields`)] });
        },
      };
    },
  };
}

// The finished answer's size, when it is over the cap: for what is not read in pages.
function answerBytesOver(result: ExecutionResult, maxAnswerBytes: number): string | null {
  const bytes = Buffer.byteLength(JSON.stringify(result));
  return bytes > maxAnswerBytes ? `the answer is ${bytes} bytes, over the limit of ${maxAnswerBytes}` : null;
}

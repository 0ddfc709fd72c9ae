import { type Key, useInput } from "ink";
import { createContext, type ReactNode, useContext, useLayoutEffect, useMemo, useRef } from "react";
import { splitKeys } from "./line-edit.js";

export type KeyHandler = (input: string, key: Key) => void;

interface Router {
  add(handler: KeyHandler): () => void;
  /** A key changed the screen: hold the keys after it until the next screen has drawn and listens. */
  hold(): void;
  /** One input from Ink (a key, or a chunk of them). */
  push(input: string, key: Key): void;
}

const RouterContext = createContext<Router | null>(null);

/**
 * The one reader of keys. Ink hands a chunk of plain bytes (fast typing, a paste, `tmux send-keys`) to its listeners as
 * ONE input, and listeners keep the closure of the last render until a passive effect re-subscribes them. This router
 * splits chunks into the keys a person pressed, calls the handlers of the latest render, and when a key changes the
 * screen it holds the rest until the new screen listens, so `Down Enter` in one write chooses the second entry.
 * Ctrl-C is honoured first, whatever else is queued.
 */
export function KeyRouter({ onInterrupt, children }: { onInterrupt: () => void; children: ReactNode }) {
  const handlers = useRef<KeyHandler[]>([]);
  const queue = useRef<Array<{ input: string; key: Key }>>([]);
  const held = useRef(false);
  const scheduled = useRef(false);
  const interrupted = useRef(onInterrupt);
  interrupted.current = onInterrupt;

  const router = useMemo<Router>(() => {
    const pump = () => {
      scheduled.current = false;
      while (queue.current.length > 0) {
        if (held.current) {
          held.current = false;
          if (!scheduled.current) {
            scheduled.current = true;
            // The screen change commits when this input's batch ends; its layout effects subscribe the new handlers.
            setImmediate(pump);
          }
          return;
        }
        const event = queue.current.shift() as { input: string; key: Key };
        for (const handler of [...handlers.current]) handler(event.input, event.key);
      }
      held.current = false;
    };
    return {
      add(handler) {
        handlers.current = [...handlers.current, handler];
        return () => {
          handlers.current = handlers.current.filter((h) => h !== handler);
        };
      },
      hold() {
        held.current = true;
      },
      push(input: string, key: Key) {
        for (const event of splitKeys(input, key)) {
          if (event.key.ctrl && event.input === "c") {
            queue.current = [];
            interrupted.current();
            return;
          }
          queue.current.push(event);
        }
        if (!scheduled.current) pump();
      },
    };
  }, []);

  useInput((input, key) => router.push(input, key));
  return <RouterContext.Provider value={router}>{children}</RouterContext.Provider>;
}

/** Calls `handler` (its latest version) for every key while `isActive`. */
export function useKeys(handler: KeyHandler, isActive = true): void {
  const router = useContext(RouterContext);
  const latest = useRef(handler);
  latest.current = handler;
  useLayoutEffect(() => {
    if (!router || !isActive) return;
    return router.add((input, key) => latest.current(input, key));
  }, [router, isActive]);
}

/** For a key handler that changes the screen: the keys after this one wait for the next screen. */
export function useHoldKeys(): () => void {
  const router = useContext(RouterContext);
  return () => router?.hold();
}

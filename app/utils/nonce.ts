import { createContext, useContext } from "react";

/** The per-request CSP nonce, from the server (entry.server) to the inline scripts Remix renders. */
export const NonceContext = createContext<string | undefined>(undefined);
export const useNonce = () => useContext(NonceContext);

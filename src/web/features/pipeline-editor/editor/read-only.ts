import { createContext, useContext } from 'react';

/** Why this editor cannot change the pipeline (the user lacks WRITE on its application), or undefined when it can. */
export const ReadOnlyContext = createContext<string | undefined>(undefined);

export const useReadOnly = () => useContext(ReadOnlyContext);

/** The demo guide's links, in its own file so the guide's lazily loaded parts share it. */
export const demoLinkClass = 'font-medium text-orange-700 underline-offset-2 hover:underline dark:text-orange-400';

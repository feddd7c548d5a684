/** The parts of mjml 5's API that vpnflow uses; the package ships no type declarations. */
declare module 'mjml' {
  interface MjmlOptions {
    filePath?: string;
    ignoreIncludes?: boolean;
    includePath?: string | string[];
    keepComments?: boolean;
    validationLevel?: 'strict' | 'soft' | 'skip';
  }

  interface MjmlError {
    line: number;
    message: string;
    tagName: string;
    formattedMessage: string;
  }

  interface MjmlResult {
    html: string;
    errors: MjmlError[];
  }

  function mjml2html(input: string, options?: MjmlOptions): Promise<MjmlResult>;

  export = mjml2html;
}

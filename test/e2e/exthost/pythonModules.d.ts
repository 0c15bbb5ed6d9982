// The exported project's .py files, imported as text by this suite's esbuild bundle (loader '.py': 'text').
declare module '*.py' {
  const text: string;
  export default text;
}

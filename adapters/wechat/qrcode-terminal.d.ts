// qrcode-terminal 0.12 ships no types and @types/qrcode-terminal is not a dependency:
// this declares the one function the WeChat adapter uses.
declare module 'qrcode-terminal' {
  const qrcodeTerminal: {
    /** Renders `text` as a QR code of block characters and hands it to `callback`. */
    generate(text: string, options: { small?: boolean }, callback: (art: string) => void): void;
  };
  export = qrcodeTerminal;
}

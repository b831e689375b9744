export declare function browsers(): { pkg: 'chromium' | 'chromium-headless-shell'; path: string }[];
export declare function testBrowserPath(): string | null;

//COMPILE_OPTIONS -encoding UTF-8
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import javax.imageio.ImageIO;

/**
 * A small bar chart of plays per minute (all tracks of a window added up, and the window's busiest track), drawn
 * with the JDK alone (java.awt, headless) into a PNG: lesson 11 draws its run, bench/11_streams.java the docs' one.
 */
public final class PlaysChart {
    private PlaysChart() {}

    /** @param playsPerWindow {@code <track>@<window start> -> plays}, as the application's store and topic have them */
    public static Path write(Map<String, Long> playsPerWindow, String title, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, long[]> perMinute = new TreeMap<>(); // minute -> {all plays, busiest track's plays}
        playsPerWindow.forEach((key, plays) -> {
            long[] m = perMinute.computeIfAbsent(key.substring(key.indexOf('@') + 1), k -> new long[2]);
            m[0] += plays;
            m[1] = Math.max(m[1], plays);
        });
        int w = 900;
        int h = 420;
        int left = 60;
        int right = 20;
        int top = 50;
        int bottom = 70;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, left, 28);
        long max = Math.max(1, perMinute.values().stream().mapToLong(m -> m[0]).max().orElse(1));
        int n = Math.max(1, perMinute.size());
        double slot = (double) (w - left - right) / n;
        int plotH = h - top - bottom;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setColor(Color.GRAY);
        for (int i = 0; i <= 4; i++) {
            int y = top + plotH - plotH * i / 4;
            g.drawLine(left, y, w - right, y);
            g.drawString(Long.toString(max * i / 4), 8, y + 4);
        }
        int i = 0;
        int labelEvery = Math.max(1, n / 12);
        for (Map.Entry<String, long[]> e : perMinute.entrySet()) {
            int x = left + (int) (i * slot);
            int bw = Math.max(1, (int) (slot * 0.8));
            int all = (int) (plotH * e.getValue()[0] / max);
            int busiest = (int) (plotH * e.getValue()[1] / max);
            g.setColor(new Color(0x4C78A8));
            g.fillRect(x, top + plotH - all, bw, all);
            g.setColor(new Color(0xF58518));
            g.fillRect(x, top + plotH - busiest, bw, busiest);
            if (i % labelEvery == 0) {
                g.setColor(Color.BLACK);
                String minute = e.getKey().length() >= 16 ? e.getKey().substring(11, 16) : e.getKey();
                g.drawString(minute, x, h - bottom + 16);
            }
            i++;
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1));
        g.drawLine(left, top + plotH, w - right, top + plotH);
        g.setColor(new Color(0x4C78A8));
        g.fillRect(left, h - 30, 12, 12);
        g.setColor(Color.BLACK);
        g.drawString("plays in the minute, all tracks", left + 18, h - 20);
        g.setColor(new Color(0xF58518));
        g.fillRect(left + 240, h - 30, 12, 12);
        g.setColor(Color.BLACK);
        g.drawString("plays of the minute's busiest track", left + 258, h - 20);
        g.drawString("minute (UTC, event time)", w - right - 150, h - 20);
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(img, "png", png.toFile());
        return png;
    }
}
